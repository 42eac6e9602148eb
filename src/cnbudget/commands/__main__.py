"""`python -m cnbudget.commands ARGS` is `cnbudget ARGS`."""

from cnbudget.commands import main

main()

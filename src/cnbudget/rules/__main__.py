"""`python -m cnbudget.rules` prints the rule index as markdown (the source of docs/rules.md)."""

import sys

from cnbudget.rules.registry import all_rules
from cnbudget.rules.report import rules_markdown

sys.stdout.write(rules_markdown(all_rules()))

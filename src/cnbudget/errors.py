"""The one error a user sees when a file cannot be read: one sentence, exit code 2."""


class InputError(Exception):
    """The input could not be read as a disclosure. The message is one plain sentence."""

    exit_code = 2

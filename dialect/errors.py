"""The one error of the translator: a construct the local target does not run with Databricks' meaning."""

from __future__ import annotations


class NotSupportedLocally(ValueError):
    """Raised instead of translating a construct whose local answer could differ from Databricks'.

    The message is one line that names the construct and says what to do.
    """

    def __init__(self, construct: str, hint: str = "run it on Databricks"):
        self.construct = construct
        super().__init__(f"{construct} is not supported on the local target; {hint}")

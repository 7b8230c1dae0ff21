"""Keeping the API key out of logs, errors and files.

The key travels in the ``apikey`` query parameter, so it is in every URL requests puts in an exception
message, and the 429 quota body echoes it. Everything we print or store passes through ``redact``.
"""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus

MASK = "***"
_PARAM = re.compile(r"(?i)(apikey=)[^&\s'\"]+")


class Redactor:
    def __init__(self, secret: str | None) -> None:
        # URL-encoded spellings too: a key with reserved characters appears encoded inside URLs.
        variants = {secret, quote(secret or "", safe=""), quote_plus(secret or "")} if secret else set()
        self._secrets = sorted((v for v in variants if v), key=len, reverse=True)

    def __call__(self, text: object) -> str:
        out = str(text)
        for secret in self._secrets:
            out = out.replace(secret, MASK)
        return _PARAM.sub(lambda m: m.group(1) + MASK, out)

    def bytes(self, data: bytes) -> bytes:
        if not self._secrets:
            return data
        return self(data.decode("utf-8", errors="replace")).encode("utf-8")

"""Reading a search page item by item, keeping each item's own JSON text.

A full page of events is some 2.5 MB of JSON. ``json.loads`` reads it in one call that holds the
interpreter lock throughout (tens of milliseconds, more on a busy machine), which stalls every other
thread, the one pacing requests included; and the events would then be encoded again to be landed.
Here the standard decoder reads one value at a time (``raw_decode``): the lock is free between items,
and each item's text is sliced out as the API sent it, ready to land.
"""

from __future__ import annotations

import json
import re
from typing import Any

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip(self) -> str:
        """Skip whitespace; the next character ('' at the end)."""
        match = _SPACE.match(self.text, self.pos)
        assert match is not None
        self.pos = match.end()
        return self.text[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        if self.skip() != char:
            raise json.JSONDecodeError(f"expected {char!r}", self.text, self.pos)
        self.pos += 1

    def value(self) -> Any:
        self.skip()
        value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        return value

    def members(self):
        """Walk an object: yields each key with the reader placed at its value, which the caller reads."""
        self.expect("{")
        if self.skip() == "}":
            self.pos += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise json.JSONDecodeError("expected a key", self.text, self.pos)
            self.expect(":")
            yield key
            following = self.skip()
            self.pos += 1
            if following == "}":
                return
            if following != ",":
                raise json.JSONDecodeError("expected ',' or '}'", self.text, self.pos - 1)


def read_page(text: str, collection: str) -> tuple[dict[str, Any], list[tuple[Any, str]]]:
    """The page without its items, and each item of ``_embedded.<collection>`` with its own text.

    Raises ``json.JSONDecodeError`` (a ``ValueError``) for anything that is not one JSON object.
    """
    reader = _Reader(text)
    page: dict[str, Any] = {}
    items: list[tuple[Any, str]] = []
    for key in reader.members():
        if key == "_embedded" and reader.skip() == "{":
            embedded: dict[str, Any] = {}
            for inner in reader.members():
                if inner == collection and reader.skip() == "[":
                    items = _array_items(reader)
                else:
                    embedded[inner] = reader.value()
            page[key] = embedded
        else:
            page[key] = reader.value()
    if reader.skip():
        raise json.JSONDecodeError("extra data", text, reader.pos)
    return page, items


def _array_items(reader: _Reader) -> list[tuple[Any, str]]:
    reader.expect("[")
    items: list[tuple[Any, str]] = []
    if reader.skip() == "]":
        reader.pos += 1
        return items
    while True:
        start = reader.pos
        item = reader.value()
        items.append((item, reader.text[start : reader.pos]))
        following = reader.skip()
        reader.pos += 1
        if following == "]":
            return items
        if following != ",":
            raise json.JSONDecodeError("expected ',' or ']'", reader.text, reader.pos - 1)

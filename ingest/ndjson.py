"""Encoding of landed files: one API object per line, UTF-8, compact.

Compact separators and ``ensure_ascii=False`` keep the bytes close to what the API sent (it does not
escape non-ASCII), and make file sizes comparable with the real responses.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def encode_line(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def encode(objects: Iterable[Any]) -> bytes:
    return b"".join(encode_line(obj) for obj in objects)


def decode(data: bytes) -> list[Any]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]

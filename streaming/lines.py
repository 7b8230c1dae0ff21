"""Reading a landed file line by line when DuckDB's reader cannot take it whole.

Bronze reads most files with DuckDB in one pass. A file with a line DuckDB cannot use (not UTF-8, not
JSON, not an object, an entity without an id, a blank line) is split here instead: each line is
decoded on its own, so one bad byte costs one line and the rest of the file still loads. A file that is
one JSON document rather than one object per line (a JSON array, pretty-printed JSON) is diagnosed
once, as a whole, instead of as hundreds of broken lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

NOT_NDJSON = "not newline-delimited JSON: one object per line is expected"
# A file this large is not parsed whole to diagnose it: its lines are judged one by one.
MAX_WHOLE_FILE_DIAGNOSIS_BYTES = 256 * 1024 * 1024
_WHITESPACE = re.compile(r"\s*")


@dataclass
class SplitFile:
    """The decodable, non-blank lines of a file and what was kept aside from it."""

    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number from 1, text)
    bad_lines: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, raw text, reason)
    whole_file_reason: str | None = None


def split_lines(data: bytes) -> SplitFile:
    """Decode each line on its own; say once if the file is not newline-delimited JSON at all."""
    result = SplitFile()
    result.whole_file_reason = whole_file_problem(data)
    if result.whole_file_reason is not None:
        return result
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            result.lines.append((number, raw.decode("utf-8")))
        except UnicodeDecodeError as exc:
            text = raw.decode("utf-8", errors="backslashreplace")
            reason = (
                f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at byte {exc.start + 1} of the line "
                "(land text encoded as UTF-8)"
            )
            result.bad_lines.append((number, text, reason))
    return result


def whole_file_problem(data: bytes) -> str | None:
    """Why a file as a whole is not newline-delimited JSON, or None when its lines can be judged alone.

    A JSON array, or a file whose first value spreads over several lines (pretty-printed), is one
    document: kept aside whole with this reason rather than line by line."""
    if b"\x00" in data:
        return f"the file is not text (it holds NUL bytes), {NOT_NDJSON}"
    if len(data) > MAX_WHOLE_FILE_DIAGNOSIS_BYTES:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    parsed = _json_values(text)
    if parsed is not None:
        values, first_spreads = parsed
        if len(values) == 1 and isinstance(values[0], list):
            return f"the file is a JSON array ({len(values[0])} element(s) over {lines} line(s)), {NOT_NDJSON}"
        if values and first_spreads:
            return f"the file is pretty-printed JSON ({len(values)} value(s) over {lines} lines), {NOT_NDJSON}"
        return None
    # Not parseable as a whole either: a pretty-printed document that is cut short or broken.
    first_line = text.lstrip().split("\n", 1)[0].strip()
    if first_line in ("[", "{"):
        kind = "a JSON array" if first_line == "[" else "pretty-printed JSON"
        return f"the file looks like {kind} (its first line is {first_line!r}) that does not parse, {NOT_NDJSON}"
    return None


def _json_values(text: str) -> tuple[list[object], bool] | None:
    """The JSON values the text holds one after another and whether the first spans several lines;
    None when the text is not such a sequence."""
    decoder = json.JSONDecoder()
    values: list[object] = []
    first_spreads = False
    position = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    try:
        while position < len(text):
            value, end = decoder.raw_decode(text, position)
            if not values:
                first_spreads = "\n" in text[position:end]
            values.append(value)
            position = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
    except json.JSONDecodeError:
        return None
    return values, first_spreads


_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false"}


def line_problem(text: str) -> str:
    """Why one line DuckDB's JSON reader rejected is not a JSON object, in words."""

    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not JSON")

    try:
        value = json.loads(text, parse_constant=refuse)
    except json.JSONDecodeError as exc:
        return f"malformed JSON: {exc.msg} at column {exc.colno}"
    except ValueError as exc:
        return f"malformed JSON: {exc}"
    if value is None:
        return "expected a JSON object, found null"
    if not isinstance(value, dict):
        return f"expected a JSON object, found {_JSON_KINDS.get(type(value), type(value).__name__)}"
    return "malformed JSON: the JSON reader rejected the line"

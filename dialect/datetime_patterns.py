"""Databricks datetime patterns (Java DateTimeFormatter letters) as DuckDB strftime/strptime formats.

Only the letters whose output is verified against Spark are translated; any other letter, or a
count of a letter with a different meaning, is refused so that a pattern never formats differently.
"""

from __future__ import annotations

from dialect.errors import NotSupportedLocally

# (letter, count) -> strftime specifier, for formatting and parsing alike.
_SPECIFIERS = {
    ("y", 4): "%Y",
    ("y", 2): "%y",
    ("M", 2): "%m",
    ("M", 3): "%b",
    ("M", 4): "%B",
    ("L", 2): "%m",
    ("d", 2): "%d",
    ("H", 2): "%H",
    ("h", 2): "%I",
    ("m", 2): "%M",
    ("s", 2): "%S",
    ("S", 6): "%f",
    ("S", 3): "%g",
    ("a", 1): "%p",
    ("E", 1): "%a",
    ("E", 3): "%a",
    ("E", 4): "%A",
    ("D", 3): "%j",
}
# Letters printed without padding in Java (M, d, H, h, m, s with one letter).
_UNPADDED_FORMAT = {("M", 1): "%-m", ("d", 1): "%-d", ("H", 1): "%-H", ("h", 1): "%-I", ("m", 1): "%-M",
                    ("s", 1): "%-S", ("y", 1): "%Y", ("D", 1): "%-j", ("L", 1): "%-m", ("L", 3): "%b",
                    ("L", 4): "%B"}  # fmt: skip
_UNPADDED_PARSE = {("M", 1): "%m", ("d", 1): "%d", ("H", 1): "%H", ("h", 1): "%I", ("m", 1): "%M", ("s", 1): "%S"}
_LETTERS = set("GuyDMLdQqYwWEeFaBhKkHmsSAnNVvzOXxZp")
# The quarter (Q to QQQQ) has no strftime specifier: formatting writes a private-use character for
# each, which the caller replaces with the quarter's text (a DuckDB template of the TIMESTAMP {t}).
QUARTER_MARKS = {count: chr(0xE000 + count) for count in range(1, 5)}
# The year (yyyy) when formatting: strftime writes 10000 and -1 where Java writes +10000 and -0001, so it
# too is a mark the caller replaces with YEAR_TEXT.
YEAR_MARK = chr(0xE010)
YEAR_TEXT = """CASE WHEN year({t}) > 9999 THEN '+' || CAST(year({t}) AS VARCHAR)
    WHEN year({t}) <= -1000 THEN CAST(year({t}) AS VARCHAR)
    WHEN year({t}) < 0 THEN '-' || lpad(CAST(-year({t}) AS VARCHAR), 4, '0')
    ELSE lpad(CAST(year({t}) AS VARCHAR), 4, '0') END"""
# The hour from 1 to 24 (k) and the hour of the half-day from 0 to 11 (K) have no strftime specifier either.
_HOUR_OF_DAY = "CAST(CASE hour({t}) WHEN 0 THEN 24 ELSE hour({t}) END AS VARCHAR)"
_HOUR_OF_HALF_DAY = "CAST(hour({t}) % 12 AS VARCHAR)"
HOUR_MARKS = {("k", 1): chr(0xE011), ("k", 2): chr(0xE012), ("K", 1): chr(0xE013), ("K", 2): chr(0xE014)}
HOUR_TEXTS = {
    HOUR_MARKS["k", 1]: _HOUR_OF_DAY,
    HOUR_MARKS["k", 2]: f"lpad({_HOUR_OF_DAY}, 2, '0')",
    HOUR_MARKS["K", 1]: _HOUR_OF_HALF_DAY,
    HOUR_MARKS["K", 2]: f"lpad({_HOUR_OF_HALF_DAY}, 2, '0')",
}
QUARTER_TEXTS = {
    1: "CAST(quarter({t}) AS VARCHAR)",
    2: "'0' || CAST(quarter({t}) AS VARCHAR)",
    3: "'Q' || CAST(quarter({t}) AS VARCHAR)",
    4: "['1st', '2nd', '3rd', '4th'][quarter({t})] || ' quarter'",
}


# The zone and offset letters, formatting: the local target's session time zone is UTC (SET TIME ZONE is
# refused), so each prints what Java prints for UTC, whatever the value.
_UTC_ZONE_TEXT = {("X", n): "Z" for n in range(1, 6)} | {
    ("x", 1): "+00", ("x", 2): "+0000", ("x", 3): "+00:00", ("x", 4): "+0000", ("x", 5): "+00:00",
    ("Z", 1): "+0000", ("Z", 2): "+0000", ("Z", 3): "+0000", ("Z", 4): "GMT", ("Z", 5): "Z",
    ("z", 1): "UTC", ("z", 2): "UTC", ("z", 3): "UTC", ("z", 4): "Coordinated Universal Time",
    ("O", 1): "GMT", ("O", 4): "GMT", ("V", 2): "UTC",
}  # fmt: skip


# Java reserves these (optional sections, and '#', '{', '}' for future use): refused, not printed as text.
_RESERVED = set("[]#{}")
# The text Spark's strict parser accepts for a letter: every field its exact number of digits, one
# letter one or two digits.
_PARSE_SHAPES = {("y", 4): r"\d{4}", ("y", 2): r"\d{2}", ("M", 3): "[A-Za-z]{3}", ("M", 4): "[A-Za-z]+",
                 ("S", 6): r"\d{1,6}", ("S", 3): r"\d{1,3}", ("a", 1): "[AaPp][Mm]", ("D", 3): r"\d{3}"}  # fmt: skip
_NOT_PARSED = {"E"}  # Databricks refuses a day-of-week letter when parsing


def _tokens(pattern: str, *, optional_sections: bool = False) -> list[tuple[str, int]]:
    """The pattern as (letter, count) and (literal text, 0) pieces.

    `optional_sections`: `[` and `]` are dropped, as formatting a date or timestamp prints every optional
    section (every field is there); a `]` that closes nothing, or brackets beside quoted text, refused."""
    if optional_sections and ("[" in pattern or "]" in pattern) and "'" in pattern:
        raise NotSupportedLocally(f"the datetime pattern {pattern!r} (optional sections and quoted text)")
    pieces: list[tuple[str, int]] = []
    depth = 0
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            literal, i = _quoted(pattern, i)
            pieces.append((literal, 0))
            continue
        if optional_sections and ch in "[]":
            depth += 1 if ch == "[" else -1
            if depth < 0:
                raise NotSupportedLocally(f"the datetime pattern {pattern!r} (a ] that closes no [)")
            i += 1
            continue
        if ch in _RESERVED:
            raise NotSupportedLocally(f"the datetime pattern character {ch!r} (in {pattern!r})")
        if ch in _LETTERS or ch.isalpha():
            j = i
            while j < len(pattern) and pattern[j] == ch:
                j += 1
            pieces.append((ch, j - i))
            i = j
            continue
        pieces.append((ch, 0))
        i += 1
    return pieces


def _quoted(pattern: str, start: int) -> tuple[str, int]:
    """The text of the quoted literal at `start` ('' inside it, or alone, is one quote) and where it ends."""
    if pattern.startswith("''", start):
        return "'", start + 2
    text = []
    i = start + 1
    while i < len(pattern):
        if pattern.startswith("''", i):
            text.append("'")
            i += 2
        elif pattern[i] == "'":
            return "".join(text), i + 1
        else:
            text.append(pattern[i])
            i += 1
    raise NotSupportedLocally(f"the datetime pattern {pattern!r} (unclosed quote)")


def _specifier(pattern: str, letter: str, count: int, parsing: bool) -> str:
    key = (letter, count)
    spec = _SPECIFIERS.get(key) or (_UNPADDED_PARSE if parsing else _UNPADDED_FORMAT).get(key)
    if spec is None or (parsing and letter in _NOT_PARSED):
        raise NotSupportedLocally(f"the datetime pattern letter {letter * count!r} (in {pattern!r})")
    return spec


def java_to_strftime(pattern: str, *, parsing: bool, date_format: bool = False) -> str:
    """Translate a Java datetime pattern; raise NotSupportedLocally naming the first letter that is not.

    `date_format` (formatting a date or timestamp, every field there): Q to QQQQ become QUARTER_MARKS, k, kk,
    K and KK HOUR_MARKS, and optional sections print their content. Formatting, yyyy becomes YEAR_MARK."""
    date_format = date_format and not parsing
    out = []
    for piece, count in _tokens(pattern, optional_sections=date_format):
        if count == 0:
            if any(mark in piece for mark in (*QUARTER_MARKS.values(), *HOUR_MARKS.values(), YEAR_MARK)):
                raise NotSupportedLocally(f"a private-use character in the datetime pattern {pattern!r}")
            out.append(piece.replace("%", "%%"))
        elif date_format and piece == "Q" and count in QUARTER_MARKS:
            out.append(QUARTER_MARKS[count])
        elif date_format and (piece, count) in HOUR_MARKS:
            out.append(HOUR_MARKS[piece, count])
        elif not parsing and (piece, count) == ("y", 4):
            out.append(YEAR_MARK)
        elif not parsing and (piece, count) in _UTC_ZONE_TEXT:
            out.append(_UTC_ZONE_TEXT[piece, count])
        else:
            out.append(_specifier(pattern, piece, count, parsing))
    return "".join(out)


def _escaped(text: str) -> str:
    return "".join("\\" + ch if ch in ".^$*+?()[]{}|\\" else ch for ch in text)


def java_parse_shape(pattern: str) -> str:
    """A regular expression for the text Spark's parser accepts with `pattern` (whole text, no extra blanks)."""
    out = []
    pieces = _tokens(pattern)
    for position, (piece, count) in enumerate(pieces):
        if count == 0:
            out.append(_escaped(piece))
            continue
        _specifier(pattern, piece, count, parsing=True)
        neighbours = pieces[max(position - 1, 0) : position] + pieces[position + 1 : position + 2]
        if count == 1 and any(n > 0 for _, n in neighbours):
            # A one-letter field next to another field: Java's widths decide the split.
            raise NotSupportedLocally(f"the datetime pattern {pattern!r} when parsing")
        out.append(_PARSE_SHAPES.get((piece, count), r"\d{1,2}" if count == 1 else r"\d{2}"))
    return "".join(out)


def has_two_digit_year(pattern: str) -> bool:
    return ("y", 2) in _tokens(pattern)


def has_short_year(pattern: str) -> bool:
    """'y' alone (formatting): Java prints a year before 1000 without the zeros strftime adds."""
    return ("y", 1) in _tokens(pattern, optional_sections=True)

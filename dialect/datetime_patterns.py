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
                    ("s", 1): "%-S", ("y", 1): "%Y"}  # fmt: skip
_UNPADDED_PARSE = {("M", 1): "%m", ("d", 1): "%d", ("H", 1): "%H", ("h", 1): "%I", ("m", 1): "%M", ("s", 1): "%S"}
_LETTERS = set("GuyDMLdQqYwWEeFaBhKkHmsSAnNVvzOXxZp")


def java_to_strftime(pattern: str, *, parsing: bool) -> str:
    """Translate a Java datetime pattern; raise NotSupportedLocally naming the first letter that is not."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            end = pattern.find("'", i + 1)
            if end < 0:
                raise NotSupportedLocally(f"the datetime pattern {pattern!r} (unclosed quote)")
            literal = pattern[i + 1 : end] if end > i + 1 else "'"
            out.append(literal.replace("%", "%%"))
            i = end + 1
            continue
        if ch in _LETTERS or ch.isalpha():
            j = i
            while j < len(pattern) and pattern[j] == ch:
                j += 1
            count = j - i
            key = (ch, count)
            spec = _SPECIFIERS.get(key) or (_UNPADDED_PARSE if parsing else _UNPADDED_FORMAT).get(key)
            if spec is None:
                raise NotSupportedLocally(f"the datetime pattern letter {ch * count!r} (in {pattern!r})")
            out.append(spec)
            i = j
            continue
        out.append("%%" if ch == "%" else ch)
        i += 1
    return "".join(out)

"""Databricks data types as the DuckDB types that keep their meaning for variables and parameters."""

from __future__ import annotations

from collections.abc import Callable

from scripting.lexer import NUMBER, QUOTED, WORD, Token

_SIMPLE = {
    "STRING": "VARCHAR",
    "VARCHAR": "VARCHAR",
    "CHAR": "VARCHAR",
    "INT": "INTEGER",
    "INTEGER": "INTEGER",
    "BIGINT": "BIGINT",
    "LONG": "BIGINT",
    "SMALLINT": "SMALLINT",
    "SHORT": "SMALLINT",
    "TINYINT": "TINYINT",
    "BYTE": "TINYINT",
    "DOUBLE": "DOUBLE",
    "FLOAT": "FLOAT",
    "REAL": "FLOAT",
    "BOOLEAN": "BOOLEAN",
    "BOOL": "BOOLEAN",
    "DATE": "DATE",
    # Databricks TIMESTAMP is an instant shown in the session time zone, as DuckDB's TIMESTAMPTZ is;
    # but the lakehouse's local tables use naive TIMESTAMP, and a variable compared with them must
    # not shift by the zone offset, so both map to TIMESTAMP (documented difference).
    "TIMESTAMP": "TIMESTAMP",
    "TIMESTAMP_NTZ": "TIMESTAMP",
    "TIMESTAMP_LTZ": "TIMESTAMP",
    "BINARY": "BLOB",
}


class TypeSyntaxError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def parse_type(peek: Callable[[int], Token], advance: Callable[[], Token]) -> tuple[str, str]:
    """Read one data type from a token stream; return (DuckDB type, type as written)."""
    first = peek(0)
    if first.kind not in (WORD, QUOTED):
        raise TypeSyntaxError(f"expected a data type, found {first.text!r}", first.line)
    start_tok = advance()
    word = start_tok.text.upper()
    if word in ("DECIMAL", "DEC", "NUMERIC"):
        # Databricks' bare DECIMAL is DECIMAL(10, 0); DuckDB's would be DECIMAL(18, 3).
        precision, scale = 10, 0
        if peek(0).text == "(":
            advance()
            precision = int(_expect_number(advance()))
            if peek(0).text == ",":
                advance()
                scale = int(_expect_number(advance()))
            _expect(advance(), ")")
        return f"DECIMAL({precision},{scale})", f"DECIMAL({precision},{scale})"
    if word in ("VARCHAR", "CHAR") and peek(0).text == "(":
        advance()
        length = _expect_number(advance())
        _expect(advance(), ")")
        return "VARCHAR", f"{word}({length})"
    if word == "INTERVAL":
        parts = []
        while peek(0).is_word("YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "TO"):
            parts.append(advance().text.upper())
        return "INTERVAL", " ".join(["INTERVAL", *parts])
    if word == "ARRAY":
        _expect(advance(), "<")
        inner, inner_text = parse_type(peek, advance)
        _expect(advance(), ">")
        return f"{inner}[]", f"ARRAY<{inner_text}>"
    if word == "MAP":
        _expect(advance(), "<")
        key, key_text = parse_type(peek, advance)
        _expect(advance(), ",")
        value, value_text = parse_type(peek, advance)
        _expect(advance(), ">")
        return f"MAP({key}, {value})", f"MAP<{key_text}, {value_text}>"
    if word == "STRUCT":
        _expect(advance(), "<")
        fields, texts = [], []
        while True:
            name_tok = advance()
            if name_tok.kind not in (WORD, QUOTED):
                raise TypeSyntaxError(f"expected a STRUCT field name, found {name_tok.text!r}", name_tok.line)
            if peek(0).text == ":":
                advance()
            ftype, ftext = parse_type(peek, advance)
            if peek(0).is_word("NOT"):
                raise TypeSyntaxError("NOT NULL inside STRUCT types is not supported", peek(0).line)
            fname = name_tok.name.replace('"', '""')
            fields.append(f'"{fname}" {ftype}')
            texts.append(f"{name_tok.name}: {ftext}")
            sep = advance()
            if sep.text == ">":
                break
            _expect(sep, ",")
        return f"STRUCT({', '.join(fields)})", f"STRUCT<{', '.join(texts)}>"
    if word in _SIMPLE:
        return _SIMPLE[word], word
    raise TypeSyntaxError(
        f"data type {start_tok.text} is not supported by the local interpreter "
        f"(supported: {', '.join(sorted(set(_SIMPLE) - {'BOOL'}))}, DECIMAL(p,s), INTERVAL, ARRAY<>, MAP<>, "
        "STRUCT<>)",
        start_tok.line,
    )


def _expect(tok: Token, text: str) -> None:
    if tok.text != text:
        raise TypeSyntaxError(f"expected {text!r} in data type, found {tok.text!r}", tok.line)


def _expect_number(tok: Token) -> str:
    if tok.kind != NUMBER:
        raise TypeSyntaxError(f"expected a number in data type, found {tok.text!r}", tok.line)
    return tok.text

"""Text to BINARY as Databricks reads it: `unhex`, `unbase64`, `to_binary` and `try_to_binary`.

`unhex` reads two hex digits per byte (an odd first digit is a byte of its own) and gives NULL for any
other character; `unbase64` decodes as java.util.Base64's MIME decoder does (characters outside the
alphabet skipped, the padding optional, a misplaced one an error); `to_binary(s, 'base64')` first checks
the text as Spark's UnBase64.isValidBase64 does and fails on text it does not accept.
"""

from __future__ import annotations

import contextlib
import unicodedata

import duckdb
from duckdb.func import SPECIAL

_HEX_DIGITS = {c: int(c, 16) for c in "0123456789abcdefABCDEF"}
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_BASE64 = {c: i for i, c in enumerate(_ALPHABET)}
# Java's Character.isWhitespace: these controls and the space separators other than the no-break ones.
_JAVA_SPACE_CONTROLS = set("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f")
_NO_BREAK_SPACES = set("\u00a0\u2007\u202f")


def unhex(text: str | None) -> bytes | None:
    """Hex.unhex of the text's UTF-8 bytes: NULL where one is not a hex digit."""
    if text is None:
        return None
    if any(c not in _HEX_DIGITS for c in text):
        return None
    digits = ("0" + text) if len(text) % 2 else text
    return bytes(_HEX_DIGITS[digits[i]] << 4 | _HEX_DIGITS[digits[i + 1]] for i in range(0, len(digits), 2))


def unhex_strict(text: str | None) -> bytes | None:
    """to_binary(s, 'hex'): unhex, failing where unhex gives NULL."""
    found = unhex(text)
    if text is not None and found is None:
        raise ValueError(_malformed(text, "HEX"))
    return found


def unbase64(text: str | None) -> bytes | None:
    """java.util.Base64.getMimeDecoder().decode(text): the text as ISO-8859-1 bytes (other characters are
    '?'), bytes outside the alphabet skipped, decoding ending at the padding."""
    if text is None:
        return None
    data = [c if ord(c) < 256 else "?" for c in text]
    out = bytearray()
    bits, shift, position = 0, 18, 0
    while position < len(data):
        c = data[position]
        position += 1
        if c == "=":
            # No unit starts with '=', and `xx=` needs its second '=' right after.
            if shift == 18 or (shift == 6 and (position == len(data) or data[position] != "=")):
                raise ValueError("Input byte array has wrong 4-byte ending unit")
            position += 1 if shift == 6 else 0
            break
        value = _BASE64.get(c)
        if value is None:
            continue
        bits |= value << shift
        shift -= 6
        if shift < 0:
            out += bytes(((bits >> 16) & 0xFF, (bits >> 8) & 0xFF, bits & 0xFF))
            bits, shift = 0, 18
    if shift == 6:
        out.append((bits >> 16) & 0xFF)
    elif shift == 0:
        out += bytes(((bits >> 16) & 0xFF, (bits >> 8) & 0xFF))
    elif shift == 12:
        raise ValueError("Last unit does not have enough valid bits")
    while position < len(data):
        position += 1
        if data[position - 1] in _BASE64:
            raise ValueError(f"Input byte array has incorrect ending byte at {position}")
    return bytes(out)


def unbase64_strict(text: str | None) -> bytes | None:
    """to_binary(s, 'base64'): text Spark's isValidBase64 accepts, decoded; any other fails."""
    if text is None:
        return None
    if not _valid_base64(text):
        raise ValueError(_malformed(text, "BASE64"))
    return unbase64(text)


def try_unbase64_strict(text: str | None) -> bytes | None:
    """try_to_binary(s, 'base64'): to_binary's answer, or NULL where it fails."""
    try:
        return unbase64_strict(text)
    except ValueError:
        return None


def _valid_base64(text: str) -> bool:
    """UnBase64.isValidBase64: alphabet characters, then at most two '=' where a unit has two or three
    characters, white space anywhere before the padding; the count then a whole number of units."""
    count = padding = 0
    for c in text:
        if c in _BASE64:
            if padding:
                return False
            count += 1
        elif c == "=":
            padding += 1
            if padding > 2 or count % 4 < 2:
                return False
        elif _java_whitespace(c):
            if padding:
                return False
        else:
            return False
    return (count + padding) % 4 == 0 if padding else count % 4 != 1


def _java_whitespace(c: str) -> bool:
    return c in _JAVA_SPACE_CONTROLS or (unicodedata.category(c) in ("Zs", "Zl", "Zp") and c not in _NO_BREAK_SPACES)


def _malformed(text: str, written: str) -> str:
    return (
        f"[CONVERSION_INVALID_INPUT] The value '{text}' ('{written}') cannot be converted to \"BINARY\" because "
        "it is malformed. Correct the value as per the syntax, or change its format. Use `try_to_binary` to "
        "tolerate malformed input and return NULL instead."
    )


def install_binary_functions(conn: duckdb.DuckDBPyConnection) -> None:
    functions = (
        ("spark_unhex", unhex),
        ("spark_unhex_strict", unhex_strict),
        ("spark_unbase64", unbase64),
        ("spark_unbase64_strict", unbase64_strict),
        ("spark_try_unbase64_strict", try_unbase64_strict),
    )
    for name, function in functions:
        with contextlib.suppress(duckdb.Error):
            conn.remove_function(name)
        # SPECIAL: a function may answer NULL for text that is not NULL.
        conn.create_function(name, function, ["VARCHAR"], "BLOB", null_handling=SPECIAL, side_effects=False)

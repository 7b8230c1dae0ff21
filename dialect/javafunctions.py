"""Functions whose Databricks result follows Java's rules where DuckDB's differ, as DuckDB Python functions.

Case mapping beyond ASCII (`upper('ß')` is 'SS' in Java, 'ẞ' in DuckDB), title case, Levenshtein
distance over characters (DuckDB counts bytes), `format_number` (java.text.DecimalFormat, half-even),
`round`/`bround` of a DOUBLE (Spark rounds the double's shortest decimal text, so
`round(1.005D, 2)` is 1.01), `cbrt`, `ln`, `log10`, `exp`, `expm1`, `log1p`, `hypot`, the inverse
trigonometric and the hyperbolic functions to the last bit
(dialect/strictmath.py), `mask` and `luhn_check` by Java's character classes, `parse_url` by
java.net.URI (dialect/javaurl.py), and the number formats of `to_number` and `to_char`
(dialect/numberformat.py).
"""

from __future__ import annotations

import codecs
import contextlib
import math
import unicodedata
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

import duckdb
from duckdb.func import DEFAULT, SPECIAL

from dialect import javaformat, numberformat
from dialect.javadouble import double_conversion, java_double
from dialect.javaurl import InvalidUrl, parse_url
from dialect.regex import UntranslatableRegex
from dialect.strictmath import acos, asin, atan, atan2, cbrt, cosh, exp, expm1, hypot, log, log1p, log10, sinh, tanh


def java_upper(text: str) -> str:
    return text.upper()


def java_lower(text: str) -> str:
    return text.lower()


def java_reverse(text: str) -> str:
    """StringBuilder.reverse: code points in reverse order (a surrogate pair stays one character)."""
    return text[::-1]


def initcap(text: str) -> str:
    """The first character after each space in title case, the others in lower case as Java lowers the
    whole text (a final sigma is 'ς'); words end at ' ' only."""
    out = []
    start = True
    for index, ch in enumerate(text):
        out.append(ch.title() if start else _lower_in_context(text, index))
        start = ch == " "
    return "".join(out)


def _lower_in_context(text: str, index: int) -> str:
    ch = text[index]
    if ch != "Σ":
        return ch.lower()
    # Final sigma: after a cased letter and before none (Python's lower() applies Java's rule).
    after_cased = text[: index + 1].lower()[-1] == "ς"
    before_none = ("a" + text[index:]).lower()[1] == "ς"
    return "ς" if after_cased and before_none else "σ"


# American Soundex digits of A..Z; 7 (H, W) is skipped without ending a run of equal digits.
_SOUNDEX_DIGITS = "01230127022455012623017202"


def soundex(text: str) -> str:
    """Spark's soundex over the UTF-8 bytes: a text that does not start with an ASCII letter comes back as
    it is; any other byte that is not an ASCII letter ends a run of equal digits."""
    data = text.encode()
    if not data:
        return text
    first = chr(data[0]).upper()
    if not ("A" <= first <= "Z"):
        return text
    code = [first]
    last = _SOUNDEX_DIGITS[ord(first) - 65]
    for byte in data[1:]:
        letter = chr(byte).upper() if byte < 128 else ""
        if not ("A" <= letter <= "Z"):
            last = "0"
            continue
        digit = _SOUNDEX_DIGITS[ord(letter) - 65]
        if digit == "7":
            continue
        if digit != "0" and digit != last:
            code.append(digit)
            if len(code) == 4:
                break
        last = digit
    return "".join(code).ljust(4, "0")


def levenshtein(a: str | None, b: str | None, threshold: int | None) -> int | None:
    if a is None or b is None:
        return None
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    distance = previous[-1]
    return -1 if threshold is not None and distance > threshold else distance


def _grouped(value: Decimal, digits: int) -> str:
    return f"{value:,.{digits}f}"


def _half_even(value: Decimal, digits: int) -> Decimal:
    """`value` rounded half even to `digits` after the point, every digit before it kept (Python's
    default context holds 28 digits and refuses a longer result)."""
    with localcontext() as context:
        context.prec = max(context.prec, value.adjusted() + digits + 2)
        return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)


def format_number_decimal(text: str | None, digits: int | None) -> str | None:
    """format_number of an exact number given as text (integers, DECIMAL)."""
    if text is None or digits is None or digits < 0:
        return None
    return _grouped(_half_even(Decimal(text), digits), digits)


def format_number_double(value: float | None, digits: int | None) -> str | None:
    """format_number of a DOUBLE as java.text.DecimalFormat writes it (half even, grouped).

    DecimalFormat starts from the digits Double.toString writes (`0.1` for 0.1, `9.999999999999999E22`
    for 1e23), not from the exact binary value, so `format_number(0.1D, 20)` ends in zeros. A last digit
    5 is a tie only when those digits are exact; otherwise FloatingDecimal's flags tell which side of
    it the value lies. Rounding at the first digit of an E form reads its written `.0` as a digit, so
    5.0E-5 to 4 places is 0.0000 although the double is above the tie."""
    if value is None or digits is None or digits < 0:
        return None
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    digits = min(digits, _DOUBLE_FRACTION_DIGITS)
    negative = math.copysign(1.0, value) < 0
    kept, point = _digit_list(abs(value), digits) if value else ("", 0)
    number = Decimal((1 if negative else 0, tuple(int(d) for d in kept) or (0,), point - len(kept) if kept else 0))
    return _grouped(number, digits)


# DecimalFormat writes at most 340 fraction digits of a double.
_DOUBLE_FRACTION_DIGITS = 340


def _digit_list(value: float, places: int) -> tuple[str, int]:
    """The digits DigitList keeps of a positive double at `places` fraction digits, and where the point
    goes (value = 0.digits * 10^point)."""
    significant, point, rounded_up, exact = double_conversion(value)
    if -point > places:
        return "", 0
    if -point == places:  # the first digit decides, a trailing zero of the text still counted
        return ("1", point + 1) if _rounds_up(significant, 0, rounded_up, exact) else ("", 0)
    significant = significant.rstrip("0") or "0"
    keep = places + point
    if keep >= len(significant):
        return significant, point
    if not _rounds_up(significant, keep, rounded_up, exact):
        return significant[:keep], point
    if keep == 0:
        return "1", point + 1
    carried = str(int(significant[:keep]) + 1)
    return carried, point + len(carried) - keep


def _rounds_up(digits: str, keep: int, rounded_up: bool, exact: bool) -> bool:
    """Whether DigitList's half-even rounding adds one when it keeps the first `keep` digits."""
    if keep >= len(digits) or digits[keep] < "5":
        return False
    if digits[keep] > "5":
        return True
    if keep < len(digits) - 1:
        return any(d != "0" for d in digits[keep + 1 :])
    if rounded_up:  # FloatingDecimal rounded up to the 5: the value is below the tie
        return False
    if not exact:  # it cut the digits at the 5: the value is above the tie
        return True
    return keep > 0 and int(digits[keep - 1]) % 2 == 1


def round_double(value: float, scale: int, half_even: bool) -> float:
    """round/bround of a DOUBLE: the double's text as Java writes it, rounded, read back as a double."""
    if math.isnan(value) or math.isinf(value):
        return value
    mode = ROUND_HALF_EVEN if half_even else ROUND_HALF_UP
    try:
        rounded = Decimal(java_double(value)).quantize(Decimal(1).scaleb(-scale), rounding=mode)
    except InvalidOperation:  # more digits than the context holds: nothing left to round
        return value
    return float(rounded) + 0.0  # BigDecimal has no negative zero: round(-0.001, 2) is 0.0


_WIDE = Context(prec=400)  # every digit of a double's text at any DECIMAL scale


def double_decimal_text(value: float | None, scale: int) -> str | None:
    """CAST(double AS DECIMAL(p, scale)) as Spark converts it: the double's text as Java writes it
    (1.0E23 is 9.999999999999999E22), rounded half up to the scale, written out; NULL for NaN and the
    infinities. The caller casts the text, which fails where it has too many digits."""
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    rounded = Decimal(java_double(value)).quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP, context=_WIDE)
    return format(rounded, "f")


# The characters java.net.URLEncoder writes as they are; a space is '+', any other is %XX of its UTF-8 bytes.
_URL_KEPT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-*_")


def url_encode(text: str) -> str:
    """URLEncoder.encode(text, UTF-8), as url_encode writes it."""
    return "".join(
        c if c in _URL_KEPT else "+" if c == " " else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in text
    )


def _hex_digit(char: str) -> int:
    """Character.digit(char, 16): an ASCII or full-width letter a-f, or any Unicode decimal digit; -1 else."""
    folded = chr(ord(char) - 0xFEE0) if "\uff21" <= char <= "\uff26" or "\uff41" <= char <= "\uff46" else char
    if folded in "abcdefABCDEF":
        return int(folded, 16)
    return unicodedata.decimal(char, -1)


def _escaped_byte(pair: str) -> int | None:
    """Integer.parseInt(pair, 16) as URLDecoder reads an escape's two characters (a sign may come first);
    None where Java fails or the value is negative."""
    sign, digits = (pair[0], pair[1:]) if pair[0] in "+-" else ("+", pair)
    values = [_hex_digit(c) for c in digits]
    if not digits or -1 in values:
        return None
    value = int("".join(f"{v:x}" for v in values), 16)
    return None if sign == "-" and value else value


def _java_replacement(error: UnicodeError) -> tuple[str | bytes, int]:
    """U+FFFD for malformed UTF-8 where Java's decoder puts one, which is where Python puts it but after ED
    A0..BF: Java reads the three bytes of a UTF-16 surrogate (ED A0..BF 80..BF) as one malformed character,
    and ED A0..BF followed by anything else (or nothing) as one of two bytes; Python as one per byte."""
    assert isinstance(error, UnicodeDecodeError)  # registered for decoding only
    data, start = error.object, error.start
    if data[start] == 0xED and len(data) > start + 1 and data[start + 1] >> 5 == 0b101:
        surrogate = len(data) > start + 2 and data[start + 2] >> 6 == 0b10
        return "\ufffd", start + (3 if surrogate else 2)
    return "\ufffd", error.end


codecs.register_error("spark_java_replace", _java_replacement)


def url_decode(text: str | None, or_null: bool) -> str | None:
    """URLDecoder.decode(text, UTF-8): '+' is a space, a run of %XX escapes the UTF-8 bytes they spell
    (malformed bytes as U+FFFD). An incomplete or illegal escape fails (CANNOT_DECODE_URL), or is NULL
    for try_url_decode."""
    if text is None:
        return None
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "%":
            out.append(" " if char == "+" else char)
            i += 1
            continue
        run = bytearray()
        while i + 2 < len(text) and text[i] == "%":
            value = _escaped_byte(text[i + 1 : i + 3])
            if value is None:
                return _undecodable(text, or_null)
            run.append(value & 0xFF)
            i += 3
        if i < len(text) and text[i] == "%":
            return _undecodable(text, or_null)
        out.append(run.decode("utf-8", errors="spark_java_replace"))
    return "".join(out)


def _undecodable(text: str, or_null: bool) -> str | None:
    if or_null:
        return None
    raise ValueError(f"[CANNOT_DECODE_URL] The provided URL cannot be decoded: {text}.")


_MASK64 = (1 << 64) - 1


def _signed(value: int) -> int:
    """A 64-bit pattern as Java's long."""
    value &= _MASK64
    return value - (1 << 64) if value >> 63 else value


def _ascii_digit(byte: int, radix: int) -> int:
    """Character.digit of one UTF-8 byte: only ASCII digits and letters are digits; -1 else."""
    char = chr(byte) if byte < 128 else ""
    value = int(char, 36) if char.isascii() and char.isalnum() else -1
    return value if 0 <= value < radix else -1


def conv(text: str | None, from_base: int | None, to_base: int | None) -> str | None:
    """conv(num, from_base, to_base) as Spark's NumberConverter: the text (spaces trimmed) read in from_base
    up to its first character that is not a digit there, through an unsigned 64-bit integer; a leading '-'
    makes it the two's complement (or -1 past the signed range); a negative to_base writes it signed.
    NULL for a base outside 2-36 (to_base by its magnitude) or empty text; ARITHMETIC_OVERFLOW past 64 bits."""
    if text is None or from_base is None or to_base is None:
        return None
    if not 2 <= from_base <= 36 or not 2 <= abs(to_base) <= 36:
        return None
    data = text.strip(" ").encode("utf-8")
    if not data:
        return None
    negative = data[:1] == b"-"
    whole = 0
    for byte in data[1 if negative else 0 :]:
        digit = _ascii_digit(byte, from_base)
        if digit < 0:
            break
        whole = whole * from_base + digit
        if whole > _MASK64:  # the digits do not fit in an unsigned 64-bit integer
            raise ValueError("[ARITHMETIC_OVERFLOW] Overflow in function conv().")
    value = _signed(whole)  # a Java long
    if negative and to_base > 0:
        value = -1 if value < 0 else _signed(-value)
    if to_base < 0 and value < 0:
        value, negative = -value, True
    unsigned, radix, digits = value & _MASK64, abs(to_base), ""
    while unsigned:
        unsigned, digit = divmod(unsigned, radix)
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digit] + digits
    return ("-" if negative and to_base < 0 else "") + (digits or "0")


def mask(text: str | None, upper: str | None, lower: str | None, digit: str | None, other: str | None) -> str | None:
    """Each upper-case letter, lower-case letter and decimal digit (Java's Character.getType of the code
    point: Lu, Ll, Nd) and each other character replaced by its replacement; a NULL replacement keeps it."""
    if text is None:
        return None
    replacements = {"Lu": upper, "Ll": lower, "Nd": digit}
    out = []
    for ch in text:
        replacement = replacements.get(unicodedata.category(ch), other)
        out.append(ch if replacement is None else replacement)
    return "".join(out)


def luhn_check(text: str) -> bool:
    """The Luhn checksum over the text's UTF-16 characters, each a decimal digit (Character.isDigit);
    false for an empty text or any other character (a sign, a space, half of a surrogate pair)."""
    if not text:
        return False
    total = 0
    for index, ch in enumerate(reversed(text)):
        if ord(ch) > 0xFFFF or unicodedata.category(ch) != "Nd":
            return False
        value = unicodedata.digit(ch) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def parse_url_part(url: str | None, part: str | None) -> str | None:
    """parse_url; NULL for any NULL argument."""
    if url is None or part is None:
        return None
    return parse_url(url, part)


def parse_url_key(url: str | None, part: str | None, key: str | None) -> str | None:
    """parse_url with a key; a key the local regular expressions cannot run as Java does is refused."""
    if url is None or part is None or key is None:
        return None
    try:
        return parse_url(url, part, key)
    except UntranslatableRegex as exc:
        raise ValueError(
            f"[UNSUPPORTED] parse_url with the key {key!r} ({exc}) is not supported on the local target; "
            "run it on Databricks"
        ) from exc


def try_parse_url_part(url: str | None, part: str | None) -> str | None:
    """parse_url, NULL for a URL java.net.URI rejects (other errors still fail, as in Databricks)."""
    try:
        return parse_url_part(url, part)
    except InvalidUrl:
        return None


def try_parse_url_key(url: str | None, part: str | None, key: str | None) -> str | None:
    try:
        return parse_url_key(url, part, key)
    except InvalidUrl:
        return None


def to_number_text(text: str | None, fmt: str | None) -> str | None:
    """to_number's value as plain decimal text (the caller casts it to the format's DECIMAL)."""
    if text is None or fmt is None:
        return None
    return format(numberformat.to_number(text, fmt), "f")


def try_to_number_text(text: str | None, fmt: str | None) -> str | None:
    if text is None or fmt is None:
        return None
    value = numberformat.try_to_number(text, fmt)
    return None if value is None else format(value, "f")


def to_char_text(value: str | None, fmt: str | None) -> str | None:
    """to_char of a DECIMAL given by its text."""
    if value is None or fmt is None:
        return None
    return numberformat.to_char(Decimal(value), fmt)


def format_value_text(specifier: str, kind: str, text: str | None) -> str:
    """One format_string specifier applied to a value given by its text and its Databricks type
    (dialect/javaformat.py); what that module does not cover is refused as it runs."""
    value: object = text
    if text is not None:
        upper = kind.upper()
        if upper in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT"):
            value = int(text)
        elif upper in ("DOUBLE", "FLOAT"):
            value = float(text)
        elif upper.startswith("DECIMAL"):
            value = Decimal(text)
        elif upper == "BOOLEAN":
            value = text == "true"
    try:
        return javaformat.format_value(specifier, kind, value)
    except NotImplementedError as exc:
        raise ValueError(
            f"[UNSUPPORTED] the format specifier {specifier!r} ({exc}) is not supported on the local target; "
            "run it on Databricks"
        ) from exc


def install_java_functions(conn: duckdb.DuckDBPyConnection) -> None:
    functions = (
        ("spark_java_upper", java_upper, ["VARCHAR"], "VARCHAR", DEFAULT),
        ("spark_double_decimal_text", double_decimal_text, ["DOUBLE", "INTEGER"], "VARCHAR", SPECIAL),
        ("spark_java_lower", java_lower, ["VARCHAR"], "VARCHAR", DEFAULT),
        ("spark_initcap", initcap, ["VARCHAR"], "VARCHAR", DEFAULT),
        ("spark_java_reverse", java_reverse, ["VARCHAR"], "VARCHAR", DEFAULT),
        ("spark_soundex", soundex, ["VARCHAR"], "VARCHAR", DEFAULT),
        ("spark_java_log", log, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_log10", log10, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_cbrt", cbrt, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_expm1", expm1, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_log1p", log1p, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_hypot", hypot, ["DOUBLE", "DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_atan2", atan2, ["DOUBLE", "DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_asin", asin, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_acos", acos, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_atan", atan, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_exp", exp, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_sinh", sinh, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_cosh", cosh, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_java_tanh", tanh, ["DOUBLE"], "DOUBLE", DEFAULT),
        ("spark_levenshtein", levenshtein, ["VARCHAR", "VARCHAR", "INTEGER"], "INTEGER", SPECIAL),
        ("spark_format_number_exact", format_number_decimal, ["VARCHAR", "INTEGER"], "VARCHAR", SPECIAL),
        ("spark_format_number_double", format_number_double, ["DOUBLE", "INTEGER"], "VARCHAR", SPECIAL),
        ("spark_round_double", round_double, ["DOUBLE", "INTEGER", "BOOLEAN"], "DOUBLE", DEFAULT),
        ("spark_url_encode", url_encode, ["VARCHAR"], "VARCHAR", DEFAULT),
        ("spark_conv", conv, ["VARCHAR", "INTEGER", "INTEGER"], "VARCHAR", SPECIAL),
        ("spark_url_decode", url_decode, ["VARCHAR", "BOOLEAN"], "VARCHAR", SPECIAL),
        ("spark_mask", mask, ["VARCHAR"] * 5, "VARCHAR", SPECIAL),
        ("spark_luhn_check", luhn_check, ["VARCHAR"], "BOOLEAN", DEFAULT),
        ("spark_parse_url", parse_url_part, ["VARCHAR", "VARCHAR"], "VARCHAR", SPECIAL),
        ("spark_parse_url_key", parse_url_key, ["VARCHAR"] * 3, "VARCHAR", SPECIAL),
        ("spark_try_parse_url", try_parse_url_part, ["VARCHAR", "VARCHAR"], "VARCHAR", SPECIAL),
        ("spark_try_parse_url_key", try_parse_url_key, ["VARCHAR"] * 3, "VARCHAR", SPECIAL),
        ("spark_to_number", to_number_text, ["VARCHAR", "VARCHAR"], "VARCHAR", SPECIAL),
        ("spark_try_to_number", try_to_number_text, ["VARCHAR", "VARCHAR"], "VARCHAR", SPECIAL),
        ("spark_to_char", to_char_text, ["VARCHAR", "VARCHAR"], "VARCHAR", SPECIAL),
        ("spark_format_value", format_value_text, ["VARCHAR"] * 3, "VARCHAR", SPECIAL),
    )
    for name, function, parameters, result, nulls in functions:
        with contextlib.suppress(duckdb.Error):
            conn.remove_function(name)
        conn.create_function(name, function, list(parameters), result, null_handling=nulls, side_effects=False)

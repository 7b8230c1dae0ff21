"""One value written as Databricks' format_string and printf write it: those hand each argument, as the JVM
object Spark holds it in (a Byte, Short, Integer or Long for the integers, an Integer of days for a DATE, a
Long of microseconds for a TIMESTAMP, a Double, a Float, Spark's own Decimal, a UTF8String, a Boolean), to
java.util.Formatter, whose answers no C printf gives: %.2f of 1.005 is 1.01 because Java rounds the digits
of Double.toString half up, %x of -1 is as wide as the argument's Java type, -0.0 keeps its sign, NULL is
written `null`, and a conversion the argument's class does not take fails with the Java exception's message
rather than converting. format_value answers one specifier for one value, raising JavaFormatError (a
ValueError carrying Spark's message) where Spark fails and NotImplementedError for what is not covered.
"""

from __future__ import annotations

import math
import re
import struct
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal

from dialect.javadouble import double_conversion, java_double, java_float


class JavaFormatError(ValueError):
    """The exception java.util.Formatter throws; str() is its message, which is what Spark reports."""

    def __init__(self, exception: str, message: str) -> None:
        super().__init__(message)
        self.exception = exception


# %[flags][width][.precision]conversion, as Formatter reads a specifier without an argument index.
_SPECIFIER = re.compile(r"%(?P<flags>[-#+ 0,(<]*)(?P<width>\d+)?(?:\.(?P<precision>\d+))?(?P<conversion>.)", re.S)
# Formatter's flag order, in which its messages list them.
_FLAG_ORDER = "-#+ 0,("
_VALID = set("bBhHsScCdoxXeEfgGaAtT%n")

# The JVM class Spark hands Formatter for each kind, and the bits of the integer ones.
_CLASSES = {
    "TINYINT": "java.lang.Byte",
    "SMALLINT": "java.lang.Short",
    "INTEGER": "java.lang.Integer",
    "DATE": "java.lang.Integer",
    "BIGINT": "java.lang.Long",
    "TIMESTAMP": "java.lang.Long",
    "DOUBLE": "java.lang.Double",
    "FLOAT": "java.lang.Float",
    "VARCHAR": "org.apache.spark.unsafe.types.UTF8String",
    "BOOLEAN": "java.lang.Boolean",
}
_BITS = {"java.lang.Byte": 8, "java.lang.Short": 16, "java.lang.Integer": 32, "java.lang.Long": 64}
_DECIMAL = "org.apache.spark.sql.types.Decimal"
_FLOAT_MAX = float.fromhex("0x1.fffffep127")
_FLOAT_HALF_ABOVE_MAX = float.fromhex("0x1.ffffffp127")


def _fail(exception: str, message: str) -> JavaFormatError:
    return JavaFormatError(f"java.util.{exception}", message)


class _Spec:
    """A parsed specifier: conversion in lower case, `upper` for its upper-case form."""

    def __init__(self, specifier: str) -> None:
        match = _SPECIFIER.fullmatch(specifier)
        if match is None:
            raise NotImplementedError(f"the format specifier {specifier!r}")
        self.flags = ""
        for flag in match["flags"]:
            if flag in self.flags:
                raise _fail("DuplicateFormatFlagsException", f"Flags = '{flag}'")
            self.flags += flag
        self.width = int(match["width"]) if match["width"] else -1
        self.precision = int(match["precision"]) if match["precision"] is not None else -1
        conversion = match["conversion"]
        if conversion not in _VALID:
            raise _fail("UnknownFormatConversionException", f"Conversion = '{conversion}'")
        self.upper = conversion.isupper()
        self.conversion = conversion.lower()

    def has(self, flag: str) -> bool:
        return flag in self.flags

    def flag_text(self, upper: bool = False) -> str:
        """The flags as Formatter's Flags.toString lists them (`^` stands for an upper-case conversion)."""
        text = "".join(flag for flag in _FLAG_ORDER if flag in self.flags)
        return text[:1] + "^" + text[1:] if upper and text.startswith("-") else ("^" + text if upper else text)

    def __str__(self) -> str:
        text = "%" + self.flag_text()
        text += str(self.width) if self.width != -1 else ""
        text += f".{self.precision}" if self.precision != -1 else ""
        return text + (self.conversion.upper() if self.upper else self.conversion)


def _mismatch(spec: _Spec, *flags: str) -> None:
    for flag in flags:
        if spec.has(flag):
            raise _fail("FormatFlagsConversionMismatchException", f"Conversion = {spec.conversion}, Flags = {flag}")


def _check(spec: _Spec) -> None:
    """The checks Formatter makes when it reads the specifier, before it looks at the argument."""
    c = spec.conversion
    if c in "tan<" or spec.has("<") or c == "%":
        raise NotImplementedError(f"the format specifier {spec}")
    if c in "bhs":
        if c in "bh":
            _mismatch(spec, "#")
        if spec.width == -1 and spec.has("-"):
            raise _fail("MissingFormatWidthException", str(spec))
        _mismatch(spec, "+", " ", "0", ",", "(")
    elif c == "c":
        if spec.precision != -1:
            raise _fail("IllegalFormatPrecisionException", str(spec.precision))
        _mismatch(spec, "#", "+", " ", "0", ",", "(")
        if spec.width == -1 and spec.has("-"):
            raise _fail("MissingFormatWidthException", str(spec))
    else:
        _check_numeric(spec)
        if c in "dox":
            if spec.precision != -1:
                raise _fail("IllegalFormatPrecisionException", str(spec.precision))
            _mismatch(spec, "#" if c == "d" else ",")
        elif c == "e":
            _mismatch(spec, ",")
        elif c == "g":
            _mismatch(spec, "#")


def _check_numeric(spec: _Spec) -> None:
    if spec.width == -1 and (spec.has("-") or spec.has("0")):
        raise _fail("MissingFormatWidthException", str(spec))
    if (spec.has("+") and spec.has(" ")) or (spec.has("-") and spec.has("0")):
        raise _fail("IllegalFormatFlagsException", f"Flags = '{spec.flag_text(spec.upper)}'")


def format_value(specifier: str, kind: str, value: object) -> str:
    """`specifier` (one %... of java.util.Formatter) applied to `value`, a Databricks `kind` (a DuckDB
    type name), as format_string writes it; JavaFormatError where Spark fails."""
    spec = _Spec(specifier)
    _check(spec)
    java_class = _DECIMAL if kind.upper().startswith("DECIMAL") else _CLASSES.get(kind.upper())
    if java_class is None:
        raise NotImplementedError(f"format_string of a {kind}")
    if spec.conversion == "s" and spec.has("#"):
        # '#' asks a Formattable for its alternate form; no argument Spark passes is one.
        _mismatch(spec, "#")
    if value is None:
        # Every conversion writes a NULL as the text `null`, %b as `false`; precision, width, '-' and case apply.
        return _text(spec, "false" if spec.conversion == "b" else "null")
    c = spec.conversion
    if c == "b":
        return _text(spec, ("true" if value else "false") if java_class == "java.lang.Boolean" else "true")
    if c == "s":
        return _text(spec, _to_string(java_class, value, _scale(kind)))
    if c == "h":
        raise NotImplementedError("the format specifier %h")
    if c == "c":
        return _text(spec, _character(java_class, value))
    if c in "dox":
        if java_class not in _BITS:
            raise _fail("IllegalFormatConversionException", f"{c} != {java_class}")
        return _justify(spec, _integer(spec, _java_int(value), _BITS[java_class]))
    if java_class not in ("java.lang.Double", "java.lang.Float"):
        raise _fail("IllegalFormatConversionException", f"{c} != {java_class}")
    assert isinstance(value, (int, float))
    # A FLOAT is widened to the double of the same value before it is formatted.
    number = _single(float(value)) if java_class == "java.lang.Float" else float(value)
    return _justify(spec, _floating(spec, number))


# ---------------------------------------------------------------- text


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _justify(spec: _Spec, text: str) -> str:
    """Spaces up to the width (Java counts UTF-16 units), on the right with '-'."""
    padding = " " * max(0, spec.width - _utf16(text))
    return text + padding if spec.has("-") else padding + text


def _text(spec: _Spec, text: str) -> str:
    if spec.precision != -1 and spec.precision < _utf16(text):
        # Java cuts UTF-16 units; half a surrogate pair becomes '?' in the UTF8String Spark returns.
        units = text.encode("utf-16-le", "surrogatepass")[: 2 * spec.precision]
        text = "".join("?" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in units.decode("utf-16-le", "surrogatepass"))
    if spec.upper:
        text = text.upper()
    return _justify(spec, text)


def _to_string(java_class: str, value: object, scale: int | None = None) -> str:
    """The argument's Java toString."""
    if java_class == "java.lang.Boolean":
        return "true" if value else "false"
    if java_class == "java.lang.Double":
        assert isinstance(value, (int, float))
        return java_double(float(value))
    if java_class == "java.lang.Float":
        assert isinstance(value, (int, float))
        return _java_float(float(value))
    if java_class == _DECIMAL:
        assert isinstance(value, Decimal)
        return _big_decimal(value, scale)
    if java_class in _BITS:
        return str(_java_int(value))
    return str(value)


def _java_int(value: object) -> int:
    """The integer Spark holds: days since 1970 for a DATE, microseconds for a TIMESTAMP."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        delta = value - datetime(1970, 1, 1, tzinfo=UTC)
        return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    if isinstance(value, date):
        return (value - date(1970, 1, 1)).days
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"an integer was expected, not {value!r}")
    return value


def _scale(kind: str) -> int | None:
    """The scale of a DECIMAL(p,s) kind: Spark's Decimal holds the value at the column's scale."""
    found = re.fullmatch(r"DECIMAL\(\s*\d+\s*,\s*(\d+)\s*\)", kind.upper())
    return int(found[1]) if found else None


def _big_decimal(value: Decimal, scale: int | None) -> str:
    """BigDecimal.toString at the column's scale: plain unless the adjusted exponent is below -6."""
    if scale is not None:
        value = value.quantize(Decimal(1).scaleb(-scale), context=Context(prec=80, rounding=ROUND_HALF_UP))
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    unscaled = "".join(map(str, digits)).lstrip("0") or "0"
    adjusted = exponent + len(unscaled) - 1
    prefix = "-" if sign else ""
    if exponent <= 0 and adjusted >= -6:
        scale = -exponent
        if scale == 0:
            return prefix + unscaled
        padded = unscaled.rjust(scale + 1, "0")
        return f"{prefix}{padded[:-scale]}.{padded[-scale:]}"
    mantissa = unscaled[0] + ("." + unscaled[1:] if len(unscaled) > 1 else "")
    return f"{prefix}{mantissa}E{'+' if adjusted > 0 else ''}{adjusted}"


def _single(value: float) -> float:
    """The value as a 32-bit float holds it (Java's cast: infinite beyond the floats)."""
    if _FLOAT_MAX < abs(value) < _FLOAT_HALF_ABOVE_MAX:
        return math.copysign(_FLOAT_MAX, value)  # rounds down to the largest float
    try:
        return float(struct.unpack("<f", struct.pack("<f", value))[0])
    except OverflowError:
        return math.copysign(math.inf, value)


def _java_float(value: float) -> str:
    """Float.toString of a FLOAT: the value as a float holds it, written as Java 17 writes it."""
    return java_float(_single(value))


def _character(java_class: str, value: object) -> str:
    if java_class not in ("java.lang.Byte", "java.lang.Short", "java.lang.Integer"):
        raise _fail("IllegalFormatConversionException", f"c != {java_class}")
    code = _java_int(value)
    if not 0 <= code <= 0x10FFFF:
        raise _fail("IllegalFormatCodePointException", f"Code point = {code & 0xFFFFFFFF:#x}")
    # A lone surrogate cannot be written as UTF-8: Spark's UTF8String holds '?' instead.
    return "?" if 0xD800 <= code <= 0xDFFF else chr(code)


# ---------------------------------------------------------------- numbers


def _sign(spec: _Spec, negative: bool) -> tuple[str, str]:
    """What goes before and after the magnitude."""
    if negative:
        return ("(", ")") if spec.has("(") else ("-", "")
    return ("+" if spec.has("+") else " " if spec.has(" ") else ""), ""


def _magnitude(spec: _Spec, digits: str, lead: str, tail: str) -> str:
    """Digits grouped by ',' (whole part only), zero padded after the sign to the width."""
    whole, dot, fraction = digits.partition(".")
    if spec.has(","):
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = ",".join([whole, *groups])
    body = whole + dot + fraction
    if spec.has("0") and spec.width != -1:
        body = body.rjust(spec.width - len(lead) - len(tail), "0")
    return lead + body + tail


def _integer(spec: _Spec, value: int, bits: int) -> str:
    c = spec.conversion
    if c == "d":
        lead, tail = _sign(spec, value < 0)
        return _magnitude(spec, str(abs(value)), lead, tail)
    # Octal and hexadecimal write the two's complement, and take no sign flags (checked on printing).
    _mismatch(spec, "(", " ", "+")
    digits = format(value % (1 << bits), "o" if c == "o" else "x")
    prefix = ("0" if c == "o" else "0x") if spec.has("#") else ""
    if spec.has("0"):
        digits = digits.rjust(spec.width - len(prefix), "0")
    text = prefix + digits
    return text.upper() if spec.upper else text


def _digits(value: float) -> tuple[str, int]:
    """The significant digits FloatingDecimal gives a positive finite double, and the exponent of the first."""
    digits, point, _, _ = double_conversion(value)
    return digits.rstrip("0") or "0", point - 1


def _round(digits: str, exponent: int, keep: int) -> tuple[str, int]:
    """The digits rounded half up to `keep` significant digits (at least one), with the new exponent."""
    if keep >= len(digits):
        return digits, exponent
    number = int(digits[:keep]) + (digits[keep] >= "5")
    text = str(number)
    if len(text) > keep:
        return text[:keep], exponent + 1
    return text, exponent


def _fixed(digits: str, exponent: int, precision: int) -> str:
    """digits × 10^exponent written with `precision` places, rounded half up."""
    shift = exponent - len(digits) + 1 + precision
    if shift >= 0:
        units = int(digits) * 10**shift
    else:
        units, rest = divmod(int(digits), 10**-shift)
        units += 2 * rest >= 10**-shift
    text = str(units).rjust(precision + 1, "0")
    return text[: len(text) - precision] + ("." + text[len(text) - precision :] if precision else "")


def _scientific(digits: str, exponent: int, precision: int) -> tuple[str, str]:
    digits, exponent = _round(digits, exponent, precision + 1)
    digits = digits.ljust(precision + 1, "0")
    mantissa = digits[0] + ("." + digits[1:] if precision else "")
    return mantissa, f"{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def _floating(spec: _Spec, value: float) -> str:
    if math.isnan(value):
        return "NAN" if spec.upper else "NaN"
    negative = math.copysign(1.0, value) < 0
    lead, tail = _sign(spec, negative)
    if math.isinf(value):
        return lead + ("INFINITY" if spec.upper else "Infinity") + tail
    magnitude = abs(value)
    digits, exponent = _digits(magnitude) if magnitude else ("0", 0)
    c = spec.conversion
    precision = 6 if spec.precision == -1 else spec.precision
    if c == "f":
        text = _fixed(digits, exponent, precision)
        return _magnitude(spec, text + ("." if spec.has("#") and precision == 0 else ""), lead, tail)
    if c == "e":
        mantissa, exp = _scientific(digits, exponent, precision) if magnitude else _zero_e(precision)
        mantissa += "." if spec.has("#") and precision == 0 else ""
        marker = "E" if spec.upper else "e"
        return _magnitude(spec, mantissa, lead, marker + exp + tail)
    return _general(spec, magnitude, digits, exponent, lead, tail)


def _zero_e(precision: int) -> tuple[str, str]:
    return "0" + ("." + "0" * precision if precision else ""), "+00"


def _general(spec: _Spec, magnitude: float, digits: str, exponent: int, lead: str, tail: str) -> str:
    """%g: scientific when the value rounded to `precision` digits is below 10^-4 or from 10^precision."""
    precision = 6 if spec.precision == -1 else max(spec.precision, 1)
    if magnitude == 0:
        return _magnitude(spec, "0." + "0" * (precision - 1) if precision > 1 else "0", lead, tail)
    rounded, rounded_exponent = _round(digits, exponent, precision)
    if rounded_exponent < -4 or rounded_exponent >= precision:
        mantissa, exp = _scientific(digits, exponent, precision - 1)
        marker = "E" if spec.upper else "e"
        return _magnitude(spec, mantissa, lead, marker + exp + tail)
    places = precision - 1 - rounded_exponent
    text = _fixed(rounded, rounded_exponent, places)
    return _magnitude(spec, text, lead, tail)

"""`to_number`, `try_to_number` and `to_char`/`to_varchar` of a DECIMAL as Databricks answers them, for the local
target, where DuckDB has no such functions and no SQL standard or printf-style format gives the same answers:
the number format `[MI|S] [$] [0|9|G|,]* [.|D] [0|9]* [PR|MI|S]` (any case) with the analysis error Databricks
raises for each malformed one (INVALID_FORMAT.*), the DECIMAL(digits, digits after the point) `to_number`
answers, which texts match a format (spaces anywhere among the digits, any Unicode decimal digit, groups of
digits no longer than the format's, a group of the format that starts with `0` needing all its digits, signs and
angle brackets only where the format has them) and the text `to_char` writes (`9` pads with spaces and `0` with
zeros, the sign just before the first digit, no rounding: a value with more digits than the format has places
for is the format with `#` for every digit).
"""

from __future__ import annotations

import decimal
import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

MAX_PRECISION = 38

_STRUCTURE = "`[MI|S]` `[$]` `[0|9|G|,]*` `[.|D]` `[0|9]*` `[$]` `[PR|MI|S]`"
_SIGNS = frozenset("-+<")
# Java's Character.isWhitespace beyond the space separators: these controls count, no-break spaces do not.
_JAVA_WHITESPACE = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f")
_NO_BREAK_SPACES = frozenset("\xa0\u2007\u202f")


class NumberFormatError(ValueError):
    """An error Databricks raises for a number format or a value; `error_class` names it."""

    def __init__(self, error_class: str, message: str, sqlstate: str):
        super().__init__(f"[{error_class}] {message} SQLSTATE: {sqlstate}")
        self.error_class = error_class


def _invalid_format(sub_class: str, fmt: str, reason: str) -> NumberFormatError:
    return NumberFormatError(f"INVALID_FORMAT.{sub_class}", f"The format is invalid: '{fmt}'. {reason}", "42601")


# -- the format ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    """One element of a format: `kind` is one of `digits` (digits and separators, `G` written `,`), `.`,
    `$`, `S`, `MI`, `<` and `>` (the two halves of PR), or `char` for anything else; `text` is what it
    covers."""

    kind: str
    text: str = ""

    def describe(self) -> str:
        names = {"digits": "digit sequence", ".": ". or D", ">": "PR"}
        if self.kind == "char":
            return f"character '{self.text}''"  # the doubled quote is Databricks' own
        return names.get(self.kind, self.kind)


def _tokens(upper: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(upper):
        char = upper[index]
        pair = upper[index : index + 2]
        if char in "09,G":
            end = index
            while end < len(upper) and upper[end] in "09,G":
                end += 1
            tokens.append(_Token("digits", upper[index:end].replace("G", ",")))
            index = end
            continue
        if pair == "PR":
            # Its opening bracket is read or written before everything else.
            tokens.insert(0, _Token("<"))
            tokens.append(_Token(">"))
        elif pair == "MI":
            tokens.append(_Token("MI"))
        elif char in ".D":
            tokens.append(_Token("."))
        elif char in "$S":
            tokens.append(_Token(char))
        else:
            tokens.append(_Token("char", char))
        index += 2 if pair in ("PR", "MI") else 1
    return tokens


def _no_digit(tokens: list[_Token]) -> bool:
    # A lone separator counts as digits here: its own error comes later.
    return all(token.kind != "digits" for token in tokens)


def _index(tokens: list[_Token], kind: str) -> int:
    return next((at for at, token in enumerate(tokens) if token.kind == kind), -1)


def _digit_groups(tokens: list[_Token], after_point: bool) -> list[str]:
    point = _index(tokens, ".")
    return [
        token.text
        for at, token in enumerate(tokens)
        if token.kind == "digits" and (point != -1 and at > point) == after_point
    ]


def _separators_apart(group: str) -> bool:
    return not (group.startswith(",") or group.endswith(",") or ",," in group)


# The places a format's elements may take, in order; a format holds each at most once.
_SLOTS = ({"<"}, {"MI", "S"}, {"$"}, {"digits"}, {"."}, {"digits"}, {"$"}, {"MI", "S", ">"})
_BRACKET, _LEAD, _DOLLAR, _INTEGER, _POINT, _FRACTION, _TRAIL = 0, 1, 2, 3, 4, 5, 7


def _placed(tokens: list[_Token]) -> tuple[dict[int, _Token], _Token | None]:
    """The tokens by the slot each takes, reading both in order, and the first token that fits no slot."""
    placed: dict[int, _Token] = {}
    at = 0
    for slot, kinds in enumerate(_SLOTS):
        if at < len(tokens) and tokens[at].kind in kinds:
            placed[slot] = tokens[at]
            at += 1
    return placed, tokens[at] if at < len(tokens) else None


def _repeated(kind: str) -> Callable[[list[_Token]], bool]:
    return lambda tokens: sum(token.kind == kind for token in tokens) > 1


def _dollar_after(kind: str) -> Callable[[list[_Token]], bool]:
    """Whether the first $ follows the first token of `kind` (a later $ is not looked at)."""
    return lambda tokens: -1 < _index(tokens, kind) < _index(tokens, "$")


def _separators_not_between_digits(tokens: list[_Token]) -> bool:
    return not all(_separators_apart(group) for group in _digit_groups(tokens, after_point=False))


def _separator_after_point(tokens: list[_Token]) -> bool:
    return any("," in group for group in _digit_groups(tokens, after_point=True))


# The analysis errors of a format, in the order Databricks checks them: the first that applies is raised.
_RULES: tuple[tuple[str, str, Callable[[list[_Token]], bool]], ...] = (
    ("WRONG_NUM_DIGIT", "The format string requires at least one number digit.", _no_digit),
    (
        "CUR_MUST_BEFORE_DIGIT",
        "Currency characters must appear before digits in the number format.",
        _dollar_after("digits"),
    ),
    (
        "CUR_MUST_BEFORE_DEC",
        "Currency characters must appear before any decimal point in the number format.",
        _dollar_after("."),
    ),
    (
        "CONT_THOUSANDS_SEPS",
        "Thousands separators (, or G) must have digits in between them in the number format.",
        _separators_not_between_digits,
    ),
    (
        "THOUSANDS_SEPS_MUST_BEFORE_DEC",
        "Thousands separators (, or G) may not appear after the decimal point in the number format.",
        _separator_after_point,
    ),
    ("WRONG_NUM_TOKEN", "At most one . or D is allowed in the number format.", _repeated(".")),
    ("WRONG_NUM_TOKEN", "At most one S is allowed in the number format.", _repeated("S")),
    ("WRONG_NUM_TOKEN", "At most one MI is allowed in the number format.", _repeated("MI")),
    ("WRONG_NUM_TOKEN", "At most one $ is allowed in the number format.", _repeated("$")),
    ("WRONG_NUM_TOKEN", "At most one PR is allowed in the number format.", _repeated(">")),
)


def _check(fmt: str, upper: str, tokens: list[_Token]) -> None:
    if not fmt:
        raise NumberFormatError(
            "INVALID_FORMAT.EMPTY", "The format is invalid: ''. The number format string cannot be empty.", "42601"
        )
    for sub_class, reason, applies in _RULES:
        if applies(tokens):
            raise _invalid_format(sub_class, upper, reason)
    misplaced = _placed(tokens)[1]
    if misplaced is not None:
        raise _invalid_format(
            "UNEXPECTED_TOKEN",
            upper,
            f"Found the unexpected {misplaced.describe()} in the format string; "
            f"the structure of the format string must match: {_STRUCTURE}.",
        )


@dataclass(frozen=True)
class _Format:
    """A format that passed analysis, by the elements it has."""

    upper: str  # as Databricks quotes it in errors
    brackets: bool  # PR
    lead: str  # "S", "MI" or ""
    dollar: bool
    integer: str  # the digits and separators before the point, e.g. "9,099"
    point: bool
    fraction: str  # the digits after the point
    trail: str  # "S", "MI", ">" (PR) or ""

    @property
    def groups(self) -> list[str]:
        return self.integer.split(",") if self.integer else []

    @property
    def positions(self) -> int:
        return len(self.integer.replace(",", ""))

    @property
    def scale(self) -> int:
        return len(self.fraction)

    @property
    def precision(self) -> int:
        return self.positions + self.scale


@functools.lru_cache(maxsize=256)
def _format(fmt: str) -> _Format:
    upper = fmt.upper()  # as Java's toUpperCase: 'ß' reads as "SS"
    tokens = _tokens(upper)
    _check(fmt, upper, tokens)
    placed = _placed(tokens)[0]

    def text(slot: int) -> str:
        return placed[slot].text if slot in placed else ""

    def kind(slot: int) -> str:
        return placed[slot].kind if slot in placed else ""

    return _Format(
        upper,
        _BRACKET in placed,
        kind(_LEAD),
        _DOLLAR in placed,
        text(_INTEGER),
        _POINT in placed,
        text(_FRACTION),
        kind(_TRAIL),
    )


def check_format(fmt: str) -> None:
    """Raises the INVALID_FORMAT error Databricks gives when analysing `to_number` or `to_char` with `fmt`."""
    _format(fmt)


def result_type(fmt: str) -> tuple[int, int]:
    """(precision, scale) of the DECIMAL `to_number(text, fmt)` answers: every digit of the format, and those
    after its decimal point (a NULL format answers DECIMAL(10,0)); beyond 38 digits, an error."""
    number_format = _format(fmt)
    if number_format.precision > MAX_PRECISION:
        raise NumberFormatError(
            "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION",
            f"Decimal precision {number_format.precision} exceeds max precision {MAX_PRECISION}.",
            "22003",
        )
    return number_format.precision, number_format.scale


# -- to_number ----------------------------------------------------------------------------------------------


def _java_whitespace(char: str) -> bool:
    if char in _JAVA_WHITESPACE:
        return True
    return unicodedata.category(char) in ("Zs", "Zl", "Zp") and char not in _NO_BREAK_SPACES


def _java_digit(char: str) -> bool:
    # Databricks reads the text one UTF-16 unit at a time: digits beyond the BMP are not digits there.
    return char.isdecimal() and ord(char) < 0x10000


class _Mismatch(Exception):
    """The text does not match the format."""


def _groups_fit(sizes: list[int], groups: list[str], exact: bool) -> bool:
    """Whether the sizes of the text's digit groups fit the format's groups, both read from the right: with
    `exact`, a group of the format that starts with 0 needs all its digits; any other at most its own."""
    if len(sizes) > len(groups):
        return False
    padded = [0] * (len(groups) - len(sizes)) + sizes
    return all(
        size == len(group) if exact and group.startswith("0") else size <= len(group)
        for size, group in zip(padded, groups, strict=True)
    )


@dataclass
class _Reading:
    """How far the text has been read, and what it held."""

    text: str
    at: int = 0
    negative: bool = False
    opened: bool = False
    closed: bool = False
    point: bool = False
    before: str = ""
    after: str = ""

    def peek(self) -> str | None:
        return self.text[self.at] if self.at < len(self.text) else None

    def take(self, chars: str) -> str | None:
        """The next character if it is one of `chars`, read."""
        char = self.peek()
        if char is None or char not in chars:
            return None
        self.at += 1
        return char

    def digits(self, groups: list[str], exact: bool) -> None:
        """A run of digits, separators and spaces, read into the digits before the point until the text's
        point is read, whichever part of the format reads them."""
        sizes = [0]
        while (char := self.peek()) is not None and (char == "," or _java_digit(char) or _java_whitespace(char)):
            if char == ",":
                sizes.append(0)
            elif _java_digit(char):
                sizes[-1] += 1
                if self.point:
                    self.after += char
                else:
                    self.before += char
            self.at += 1
        if not _groups_fit(sizes, groups, exact):
            raise _Mismatch

    def sign(self, kind: str) -> None:
        if self.take("+-" if kind == "S" else "-") == "-":
            self.negative = not self.negative


def _read(reading: _Reading, number_format: _Format) -> None:
    """Reads the text with each element of the format in turn; all but the digits are optional, except a $
    while text is left."""
    if number_format.brackets and reading.take("<"):
        reading.opened, reading.negative = True, True
    if number_format.lead:
        reading.sign(number_format.lead)
    if number_format.dollar and reading.peek() is not None and not reading.take("$"):
        raise _Mismatch
    if number_format.integer:
        reading.digits(number_format.groups, exact=True)
    if number_format.point and reading.take("."):
        reading.point = True
    if number_format.fraction:
        reading.digits([number_format.fraction], exact=False)
    if number_format.trail == ">":
        if reading.take(">"):
            if not reading.opened:
                raise _Mismatch
            reading.closed = True
    elif number_format.trail:
        reading.sign(number_format.trail)


def _out_of_range(precision: int, scale: int) -> NumberFormatError:
    # Databricks names the value 0 here whatever the text held.
    return NumberFormatError(
        "NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION",
        f" 0 cannot be represented as Decimal({precision}, {scale}). If necessary set "
        '"spark.sql.ansi.enabled" to "false" to bypass this error, and return NULL instead.',
        "22003",
    )


def _ascii(digits: str) -> str:
    return "".join(str(unicodedata.decimal(char)) for char in digits)


def _parse(text: str, number_format: _Format) -> decimal.Decimal | None:
    """The value of `text` read with the format, or None when it does not match."""
    reading = _Reading(text)
    try:
        _read(reading, number_format)
    except _Mismatch:
        return None
    if reading.at < len(text) or reading.opened != reading.closed or not (reading.before or reading.after):
        return None
    precision, scale = number_format.precision, number_format.scale
    value = decimal.Decimal(_ascii(reading.before or "0") + "." + _ascii(reading.after or "0"))
    value = value.quantize(decimal.Decimal(1).scaleb(-scale), context=decimal.Context(prec=100))
    # A format without digits before its point reads the digits of a text without a point with those
    # after it: they still count before the point, and then the value does not fit the type.
    if value and value.adjusted() >= precision - scale:
        raise _out_of_range(precision, scale)
    return -value if reading.negative and value else value


def _mismatch(text: str, number_format: _Format) -> NumberFormatError:
    return NumberFormatError(
        "INVALID_FORMAT.MISMATCH_INPUT",
        f'The format is invalid: {number_format.upper}. The input "STRING" {text} does not match the format.',
        "42601",
    )


def try_to_number(text: str, fmt: str) -> decimal.Decimal | None:
    """`try_to_number(text, fmt)`: the value, or None where the text does not match the format. A format
    with no digit before its point still raises for a text like '5' (Databricks' NUMERIC_VALUE_OUT_OF_RANGE
    error, even in try_to_number)."""
    result_type(fmt)
    return _parse(text, _format(fmt))


def to_number(text: str, fmt: str) -> decimal.Decimal:
    """`to_number(text, fmt)`: the value, a DECIMAL of `result_type(fmt)`; INVALID_FORMAT.MISMATCH_INPUT
    where the text does not match the format."""
    result_type(fmt)
    number_format = _format(fmt)
    value = _parse(text, number_format)
    if value is None:
        raise _mismatch(text, number_format)
    return value


# -- to_char ------------------------------------------------------------------------------------------------


def _pad(out: list[str]) -> None:
    """A padding space, written before the signs and bracket at the end so that they stay by the digits."""
    at = len(out)
    while at > 0 and out[at - 1] in _SIGNS:
        at -= 1
    out.insert(at, " ")


def _before_trailing_spaces(out: list[str], char: str) -> None:
    at = len(out)
    while at > 0 and out[at - 1] == " ":
        at -= 1
    out.insert(at, char)


def _write_integer(out: list[str], groups: list[str], digits: str | None) -> None:
    """The digits before the point right-aligned in the format's positions; a group of the format that
    starts with 0 pads with zeros, others with spaces. `digits` None writes # everywhere."""
    left = sum(map(len, groups))
    for number, group in enumerate(groups):
        if number:
            # A separator only follows a digit; else it is a space.
            if out and out[-1] in "0123456789":
                out.append(",")
            else:
                _pad(out)
        for _ in group:
            left -= 1
            if digits is None:
                out.append("#")
            elif left < len(digits):
                out.append(digits[len(digits) - 1 - left])
            elif group.startswith("0"):
                out.append("0")
            else:
                _pad(out)


def _split_digits(value: decimal.Decimal) -> tuple[str, str]:
    """The digits before the point without leading zeros, and after it without trailing zeros."""
    integer, _, fraction = format(abs(value), "f").partition(".")
    return integer.lstrip("0"), fraction.rstrip("0")


def _write_sign(out: list[str], kind: str, negative: bool) -> None:
    if kind == "S":
        _before_trailing_spaces(out, "-" if negative else "+")
    elif kind == "MI" and negative:
        _before_trailing_spaces(out, "-")
    elif kind == "MI":
        out.append(" ")
    elif negative:
        _before_trailing_spaces(out, ">")
    else:
        out.extend("  ")


def to_char(value: decimal.Decimal, fmt: str) -> str:
    """`to_char(value, fmt)` of a DECIMAL; a value with more digits than the format, before or after the
    point, is the format's text with # for each digit."""
    number_format = _format(fmt)
    negative = value < 0
    integer, fraction = _split_digits(value)
    fits = len(integer) <= number_format.positions and len(fraction) <= number_format.scale
    out: list[str] = []
    if number_format.brackets and negative:
        out.append("<")
    if number_format.lead:
        out.append("-" if negative else "+" if number_format.lead == "S" else " ")
    if number_format.dollar:
        out.append("$")
    _write_integer(out, number_format.groups, integer if fits else None)
    if number_format.point:
        # A point right after padding makes that padding a zero; a point with no digits after it is a space.
        if out and out[-1] == " ":
            out[-1] = "0"
        out.append("." if number_format.fraction else " ")
    fraction_text = fraction.ljust(number_format.scale, "0") if fits else "#" * number_format.scale
    out.extend(fraction_text)
    if number_format.trail:
        _write_sign(out, number_format.trail, negative)
    return "".join(out)

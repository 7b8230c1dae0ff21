"""Double.toString and Float.toString as Java 17 writes them: the text Databricks gives a DOUBLE or a FLOAT.

Java before 19 does not always write the shortest digits that read back as the value: its FloatingDecimal
stops generating digits with a symmetric test around the value (half an ULP each side, a quarter below a
power of two), always writes a second significant digit in the E form (4.9E-324, not 5.0E-324), and
compares in 32- or 64-bit integers where the numbers fit, where a margin that overflows ends the digits.
This module follows those steps, so its text is Java's, digit for digit.
"""

from __future__ import annotations

import functools
import math
import struct

_EXP_SHIFT = 52
_FRACT_HOB = 1 << _EXP_SHIFT
_EXP_BIAS = 1023
_MAX_SMALL_BIN_EXP = 62
_MIN_SMALL_BIN_EXP = -(63 // 3)
# About ceil(log2(5^i)), the estimate FloatingDecimal sizes its integers with.
_N_5_BITS = [0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61]
_LONG_5_POW_COUNT = 27  # 5^0 .. 5^26 fit a long
_FLOAT_EXP_SHIFT = 23
_FLOAT_FRACT_HOB = 1 << _FLOAT_EXP_SHIFT
_FLOAT_EXP_BIAS = 127


def _wrap(value: int, bits: int) -> int:
    """The value as a signed integer of `bits` bits holds it (Java's int and long overflow)."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _insignificant_digits_for_pow2(p2: int) -> int:
    """How many decimal digits 2^p2 has beyond the first, for 1 < p2 < 64; 0 otherwise."""
    if 1 < p2 < 64:
        return len(str(1 << p2)) - 1
    return 0


def _estimate_dec_exp(fract_bits: int, bin_exp: int) -> int:
    """floor(log10(value)) as FloatingDecimal estimates it (sometimes one too high; the caller corrects)."""
    d2 = struct.unpack("<d", struct.pack("<Q", (_EXP_BIAS << _EXP_SHIFT) | (fract_bits & (_FRACT_HOB - 1))))[0]
    d = (d2 - 1.5) * 0.289529654 + 0.176091259 + bin_exp * 0.301029995663981
    return math.floor(d)


# The digits FloatingDecimal generates, the exponent of the first (0.d1d2... * 10^exponent), whether its
# last step rounded the digits up, and whether they are the value's exact decimal expansion: DecimalFormat
# reads the two flags to round a last digit 5 the way the exact value would.
_Conversion = tuple[list[int], int, bool, bool]


def _long_digits(value: int, insignificant: int) -> _Conversion:
    """A whole number's digits and decimal exponent, low digits past `insignificant` rounded away (neither
    flag is set on this path)."""
    exponent = 0
    if insignificant:
        power = 10**insignificant
        residue = value % power
        value //= power
        exponent += insignificant
        if residue >= power >> 1:
            value += 1
    text = str(value)
    return [int(c) for c in text.rstrip("0")], exponent + len(text), False, False


def _generate(b: int, s: int, m: int, dec_exp: int, bits: int | None) -> _Conversion:
    """Digits of b/s until the remainder is within the margin m of either end; `bits` is the width of the
    Java integers the comparisons are made in (None: FloatingDecimal's big integers, whose test for the
    upper end is not strict)."""
    big = bits is None

    def fix(value: int) -> int:
        return value if bits is None else _wrap(value, bits)

    b, s, m = fix(b), fix(s), fix(m)
    tens = fix(s * 10)
    digits: list[int] = []
    q = b // s
    b = fix(10 * (b % s))
    m = fix(m * 10)
    low = b < m
    high = (b + m >= tens) if big else fix(b + m) > tens
    if q == 0 and not high:
        dec_exp -= 1  # the estimate was one too high: the first digit is dropped
    else:
        digits.append(q)
    if dec_exp < -3 or dec_exp >= 8:
        high = low = False  # the E form has a digit after the point: a second digit always
    while not low and not high:
        q = b // s
        b = fix(10 * (b % s))
        m = fix(m * 10)
        if big:
            low, high = b < m, b + m >= tens
        elif m > 0:
            low, high = b < m, fix(b + m) > tens
        else:
            low = high = True  # the margin overflowed
        digits.append(q)
    exact = b == 0
    if high and low:
        # Both ends in reach: the nearer one, a tie to an even last digit.
        difference = 2 * b - tens if big else fix(fix(b << 1) - tens)
        if difference > 0 or (difference == 0 and digits[-1] % 2 == 1):
            return _rounded_up(digits, dec_exp, exact)
    elif high:
        return _rounded_up(digits, dec_exp, exact)
    return digits, dec_exp + 1, False, exact


def _rounded_up(digits: list[int], dec_exp: int, exact: bool) -> _Conversion:
    """The digits with one added to the last; a carry out of the first (all nines) leaves the flag unset,
    as FloatingDecimal's roundup does."""
    index = len(digits) - 1
    while index > 0 and digits[index] == 9:
        digits[index] = 0
        index -= 1
    if digits[index] == 9:
        digits[0] = 1
        return digits, dec_exp + 2, False, exact
    digits[index] += 1
    return digits, dec_exp + 1, True, exact


def _unpacked_double(value: float) -> tuple[int, int, int]:
    """A positive finite double's significand (its top bit at 2^52), binary exponent and significant bits."""
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    fract_bits = bits & (_FRACT_HOB - 1)
    bin_exp = (bits >> _EXP_SHIFT) & 0x7FF
    if bin_exp == 0:  # subnormal: normalised here, with fewer significant bits
        leading_zeros = 64 - fract_bits.bit_length()
        shift = leading_zeros - (63 - _EXP_SHIFT)
        return fract_bits << shift, 1 - shift - _EXP_BIAS, 64 - leading_zeros
    return fract_bits | _FRACT_HOB, bin_exp - _EXP_BIAS, _EXP_SHIFT + 1


def _unpacked_float(value: float) -> tuple[int, int, int]:
    """The same for a positive finite float (given as the double it is): its 24 bits moved up to 2^52."""
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    fract_bits = bits & (_FLOAT_FRACT_HOB - 1)
    bin_exp = (bits >> _FLOAT_EXP_SHIFT) & 0xFF
    if bin_exp == 0:
        leading_zeros = 32 - fract_bits.bit_length()
        shift = leading_zeros - (31 - _FLOAT_EXP_SHIFT)
        fract_bits, bin_exp, significant = fract_bits << shift, 1 - shift - _FLOAT_EXP_BIAS, 32 - leading_zeros
    else:
        fract_bits, bin_exp, significant = (
            fract_bits | _FLOAT_FRACT_HOB,
            bin_exp - _FLOAT_EXP_BIAS,
            _FLOAT_EXP_SHIFT + 1,
        )
    return fract_bits << (_EXP_SHIFT - _FLOAT_EXP_SHIFT), bin_exp, significant


def _digits(fract_bits: int, bin_exp: int, significant: int) -> _Conversion:
    """The digits FloatingDecimal writes for a positive finite number, with their exponent and flags."""
    tail_zeros = (fract_bits & -fract_bits).bit_length() - 1
    n_fract_bits = _EXP_SHIFT + 1 - tail_zeros
    tiny_bits = max(0, n_fract_bits - bin_exp - 1)
    small = _MIN_SMALL_BIN_EXP <= bin_exp <= _MAX_SMALL_BIN_EXP
    if small and tiny_bits < _LONG_5_POW_COUNT and n_fract_bits + _N_5_BITS[tiny_bits] < 64 and tiny_bits == 0:
        insignificant = _insignificant_digits_for_pow2(bin_exp - significant - 1) if bin_exp > significant else 0
        whole = fract_bits << (bin_exp - _EXP_SHIFT) if bin_exp >= _EXP_SHIFT else fract_bits >> (_EXP_SHIFT - bin_exp)
        return _long_digits(whole, insignificant)

    dec_exp = _estimate_dec_exp(fract_bits, bin_exp)
    b5 = max(0, -dec_exp)
    b2 = b5 + tiny_bits + bin_exp
    s5 = max(0, dec_exp)
    s2 = s5 + tiny_bits
    m5 = b5
    m2 = b2 - significant
    fract_bits >>= tail_zeros
    b2 -= n_fract_bits - 1
    common = min(b2, s2)
    b2, s2, m2 = b2 - common, s2 - common, m2 - common
    if n_fract_bits == 1:
        m2 -= 1  # below a power of two the next double is half as far
    if m2 < 0:
        b2, s2, m2 = b2 - m2, s2 - m2, 0

    def five_bits(n: int) -> int:
        return _N_5_BITS[n] if n < len(_N_5_BITS) else n * 3

    b_bits = n_fract_bits + b2 + five_bits(b5)
    ten_s_bits = s2 + 1 + five_bits(s5 + 1)
    b = fract_bits * 5**b5 << b2
    s = 5**s5 << s2
    m = 5**m5 << m2
    if b_bits < 32 and ten_s_bits < 32:
        return _generate(b, s, m, dec_exp, 32)
    if b_bits < 64 and ten_s_bits < 64:
        return _generate(b, s, m, dec_exp, 64)
    return _generate(b, s, m, dec_exp, None)


def java_double(value: float) -> str:
    """Double.toString(value) as Java 17 writes it."""
    return _java_text(value, single=False)


def java_float(value: float) -> str:
    """Float.toString of a FLOAT (given as the double it is) as Java 17 writes it: 1e17 is 9.9999998E16."""
    return _java_text(value, single=True)


def _java_text(value: float, single: bool) -> str:
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    return ("-" if value < 0 else "") + _positive_text(abs(value), single)


def double_conversion(value: float) -> tuple[str, int, bool, bool]:
    """The digits Double.toString writes for a positive finite double (a forced second digit of the E form
    included: 5.0E-5 is 50), the exponent of the first (0.d1d2... * 10^exponent), whether FloatingDecimal
    rounded its last digit up, and whether the digits are the exact value: what DecimalFormat starts from."""
    digits, exponent, rounded_up, exact = _conversion(value, False)
    return "".join(str(d) for d in digits), exponent, rounded_up, exact


@functools.lru_cache(maxsize=1 << 16)
def _conversion(value: float, single: bool) -> _Conversion:
    return _digits(*(_unpacked_float(value) if single else _unpacked_double(value)))


@functools.lru_cache(maxsize=1 << 16)  # about 13 µs a value; a column repeats its values
def _positive_text(value: float, single: bool) -> str:
    digits, exponent, _, _ = _conversion(value, single)
    text = "".join(str(d) for d in digits)
    if 0 < exponent < 8:
        whole = text[:exponent].ljust(exponent, "0")
        return f"{whole}.{text[exponent:] or '0'}"
    if -3 < exponent <= 0:
        return f"0.{'0' * -exponent}{text}"
    return f"{text[0]}.{text[1:] or '0'}E{exponent - 1}"

"""StrictMath's cube root and logarithms, to the last bit, as Databricks computes them.

Databricks' `cbrt`, `ln`, `log`, `log2` and `log10` are Java's StrictMath functions, whose results are
those of fdlibm's algorithms; the C library's (DuckDB's, Python's) are correctly rounded or close to it
and differ in the last bit for a few inputs in a hundred (ln(3) is 1.0986122886681096 in Databricks,
1.0986122886681098 in DuckDB), which a hash, a comparison or a later pmod can make visible. Each is
written here after fdlibm's algorithm, with its constants given by their bits.
"""

from __future__ import annotations

import math
import struct


def _words(value: float) -> tuple[int, int]:
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    return bits >> 32, bits & 0xFFFFFFFF


def _double(high: int, low: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", ((high & 0xFFFFFFFF) << 32) | (low & 0xFFFFFFFF)))[0]


def _signed_high(value: float) -> int:
    high = _words(value)[0]
    return high - (1 << 32) if high & 0x80000000 else high


# Spark's cbrt is Java's Math.cbrt, which on a JDK 17 JVM is StrictMath.cbrt (fdlibm's algorithm): a first
# guess from the exponent bits, a rational step to 23 bits, then one Newton step; these are its constants.
_CBRT_B1, _CBRT_B2 = 715094163, 696219795
_CBRT_C, _CBRT_D, _CBRT_E = 5.42857142857142815906e-01, -7.05306122448979611050e-01, 1.41428571428571436819e00
_CBRT_F, _CBRT_G = 1.60714285714285720630e00, 3.57142857142857150787e-01


def cbrt(value: float) -> float:
    """Math.cbrt to the last bit: the C library's cbrt (DuckDB's) differs from it in the last bit for
    about half of all inputs, which a later pmod or floor can turn into a visible difference."""
    high, low = _words(value)
    sign = high & 0x80000000
    high ^= sign
    if high >= 0x7FF00000:  # NaN and infinities are their own cube roots
        return value + value
    if (high | low) == 0:  # so are both zeros
        return value
    x = _double(high, low)
    if high < 0x00100000:  # subnormal: scale by 2**54 first
        t = _double(0x43500000, 0) * x
        t = _double(_words(t)[0] // 3 + _CBRT_B2, _words(t)[1])
    else:
        t = _double(high // 3 + _CBRT_B1, 0)
    r = t * t / x
    s = _CBRT_C + r * t
    t *= _CBRT_G + _CBRT_F / (s + _CBRT_E + _CBRT_D / s)
    t = _double(_words(t)[0] + 1, 0)  # 20 bits, rounded up
    s = t * t
    r = x / s
    r = (r - t) / (t + t + r)
    t = t + t * r
    high, low = _words(t)
    return _double(high | sign, low)


# ln: x = 2^k * (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)); ln(1 + f) = 2s + s*R(s*s) with s = f / (2 + f),
# R a polynomial of degree 7 in s*s; k * ln(2) in two parts so that the sum stays exact.
_LN2_HI, _LN2_LO = _double(0x3FE62E42, 0xFEE00000), _double(0x3DEA39EF, 0x35793C76)
_TWO54 = _double(0x43500000, 0)
_LG1, _LG2, _LG3 = _double(0x3FE55555, 0x55555593), _double(0x3FD99999, 0x9997FA04), _double(0x3FD24924, 0x94229359)
_LG4, _LG5 = _double(0x3FCC71C5, 0x1D8E78AF), _double(0x3FC74664, 0x96CB03DE)
_LG6, _LG7 = _double(0x3FC39A09, 0xD078C69F), _double(0x3FC2F112, 0xDF3E5244)


def _scaled(value: float) -> tuple[float, int, int] | float:
    """(x, k, high word) with a subnormal x scaled by 2^54 (k = -54), or the answer for 0, negatives,
    infinities and NaN."""
    high, low = _words(value)
    signed = _signed_high(value)
    if signed < 0x00100000:
        if ((high & 0x7FFFFFFF) | low) == 0:
            return -math.inf
        if signed < 0:
            return math.nan
        value *= _TWO54
        return value, -54, _signed_high(value)
    if signed >= 0x7FF00000:
        return value + value
    return value, 0, signed


def log(value: float) -> float:
    """StrictMath.log."""
    scaled = _scaled(value)
    if isinstance(scaled, float):
        return scaled
    x, k, high = scaled
    k += (high >> 20) - 1023
    high &= 0x000FFFFF
    i = (high + 0x95F64) & 0x100000
    x = _double(high | (i ^ 0x3FF00000), _words(x)[1])  # x or x / 2, so that it lies near 1
    k += i >> 20
    f = x - 1.0
    dk = float(k)
    if (0x000FFFFF & (2 + high)) < 3:  # |f| < 2^-20
        if f == 0.0:
            return dk * _LN2_HI + dk * _LN2_LO if k else 0.0
        r = f * f * (0.5 - 0.33333333333333333 * f)
        return f - r if k == 0 else dk * _LN2_HI - ((r - dk * _LN2_LO) - f)
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    r = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7))) + w * (_LG2 + w * (_LG4 + w * _LG6))
    if ((high - 0x6147A) | (0x6B851 - high)) > 0:
        half_square = 0.5 * f * f
        if k == 0:
            return f - (half_square - s * (half_square + r))
        return dk * _LN2_HI - ((half_square - (s * (half_square + r) + dk * _LN2_LO)) - f)
    if k == 0:
        return f - s * (f - r)
    return dk * _LN2_HI - ((s * (f - r) - dk * _LN2_LO) - f)


# log10(x) = k * log10(2) + log10(e) * ln(m) for x = 2^k * m, log10(2) in two parts.
_IVLN10 = _double(0x3FDBCB7B, 0x1526E50E)
_LOG10_2HI, _LOG10_2LO = _double(0x3FD34413, 0x509F6000), _double(0x3D59FEF3, 0x11F12B36)


def log10(value: float) -> float:
    """StrictMath.log10 (exact for powers of ten, as ln(x) / ln(10) is not)."""
    scaled = _scaled(value)
    if isinstance(scaled, float):
        return scaled
    x, k, high = scaled
    k += (high >> 20) - 1023
    below_one = 1 if k < 0 else 0
    y = float(k + below_one)
    x = _double((high & 0x000FFFFF) | ((0x3FF - below_one) << 20), _words(x)[1])
    return y * _LOG10_2LO + _IVLN10 * log(x) + y * _LOG10_2HI

"""StrictMath's cube root and logarithms, to the last bit, as Databricks computes them.

Databricks' `cbrt`, `ln`, `log`, `log2` and `log10` are Java's StrictMath functions, whose results are
those of fdlibm's algorithms; the C library's (DuckDB's, Python's) are correctly rounded or close to it
and differ in the last bit for a few inputs in a hundred (ln(3) is 1.0986122886681096 in Databricks,
1.0986122886681098 in DuckDB), which a hash, a comparison or a later pmod can make visible. Each is
written here after fdlibm's algorithm, with its constants given by their bits. So are `expm1`, `log1p` and
`hypot` (StrictMath's too; the C library's differ in the last bit for a few inputs in a thousand, hypot's for
about one pair in eight).
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


def _times_two_to(value: float, k: int) -> float:
    """value with k added to its exponent bits, as fdlibm's `__HI(y) += k << 20` does (no rounding)."""
    high, low = _words(value)
    return _double(high + (k << 20), low)


# expm1: x = k * ln(2) + r with |r| <= ln(2) / 2 (r as hi - lo, c the rounding error of that difference),
# expm1(r) from a rational function in r*r with these scaled coefficients, then 2^k * (1 + expm1(r)) - 1
# arranged per k so that the subtraction of 1 loses nothing.
_EXPM1_OVERFLOW = _double(0x40862E42, 0xFEFA39EF)  # ln(DBL_MAX): beyond it expm1 overflows
_INVLN2 = _double(0x3FF71547, 0x652B82FE)
_Q1, _Q2, _Q3 = _double(0xBFA11111, 0x111110F4), _double(0x3F5A01A0, 0x19FE5585), _double(0xBF14CE19, 0x9EAADBB7)
_Q4, _Q5 = _double(0x3ED0CFCA, 0x86E65239), _double(0xBE8AFDB7, 0x6E09C32D)


def expm1(value: float) -> float:
    """StrictMath.expm1."""
    high, low = _words(value)
    negative = bool(high & 0x80000000)
    high &= 0x7FFFFFFF
    x = value
    if high >= 0x4043687A:  # |x| >= 56 ln(2): non-finite, overflowing, or -1 to the last bit
        if high >= 0x40862E42:
            if high >= 0x7FF00000:
                if ((high & 0x000FFFFF) | low) != 0:
                    return x + x  # NaN
                return -1.0 if negative else x  # expm1(+-inf) = +inf, -1
            if x > _EXPM1_OVERFLOW:
                return math.inf
        if negative:
            return -1.0
    if high > 0x3FD62E42:  # |x| > ln(2) / 2: reduce
        if high < 0x3FF0A2B2:  # and |x| < 1.5 ln(2): k = +-1 without a multiplication
            hi, lo, k = (x + _LN2_HI, -_LN2_LO, -1) if negative else (x - _LN2_HI, _LN2_LO, 1)
        else:
            k = int(_INVLN2 * x + (-0.5 if negative else 0.5))  # C's cast: towards zero
            t = float(k)
            hi = x - t * _LN2_HI  # exact: ln2_hi has 32 bits, k at most 11
            lo = t * _LN2_LO
        x = hi - lo
        c = (hi - x) - lo
    elif high < 0x3C900000:  # |x| < 2^-54: expm1(x) rounds to x (and keeps -0.0)
        return x
    else:
        k, c = 0, 0.0
    half_x = 0.5 * x
    hxs = x * half_x
    r1 = 1.0 + hxs * (_Q1 + hxs * (_Q2 + hxs * (_Q3 + hxs * (_Q4 + hxs * _Q5))))
    t = 3.0 - r1 * half_x
    e = hxs * ((r1 - t) / (6.0 - x * t))
    if k == 0:
        return x - (x * e - hxs)  # c is 0
    e = x * (e - c) - c
    e -= hxs
    if k == -1:
        return 0.5 * (x - e) - 0.5
    if k == 1:
        return -2.0 * (e - (x + 0.5)) if x < -0.25 else 1.0 + 2.0 * (x - e)
    if k <= -2 or k > 56:  # 1 is negligible or dominant: exp(x) - 1 suffices
        return _times_two_to(1.0 - (e - x), k) - 1.0
    if k < 20:  # (1 - 2^-k) - (e - x), 1 - 2^-k exact
        return _times_two_to(_double(0x3FF00000 - (0x200000 >> k), 0) - (e - x), k)
    # 2^-k is small beside x - e: fold it into e, and add 1 last.
    return _times_two_to(x - (e + _double((0x3FF - k) << 20, 0)) + 1.0, k)


def log1p(value: float) -> float:
    """StrictMath.log1p (-inf at -1, NaN below it)."""
    x = value
    high = _signed_high(x)
    absolute = high & 0x7FFFFFFF
    k, hu, f, c = 1, 0, 0.0, 0.0
    if high < 0x3FDA827A:  # x < 0.41422 (every negative x, as the high word is signed)
        if absolute >= 0x3FF00000:  # x <= -1, -inf and negative NaNs
            if x == -1.0:
                return -math.inf
            return x + x if x != x else math.nan
        if absolute < 0x3E200000:  # |x| < 2^-29: x - x*x/2 is exact enough, and x itself below 2^-54
            return x if absolute < 0x3C900000 else x - x * x * 0.5
        if high > 0 or high <= 0xBFD2BEC3 - (1 << 32):  # -0.2929 < x < 0.41422: f = x, no reduction
            k, f, hu = 0, x, 1
    if high >= 0x7FF00000:  # +inf and positive NaNs
        return x + x
    if k != 0:
        if high < 0x43400000:  # 1 + x is inexact: keep its rounding error as c, relative to u
            u = 1.0 + x
            hu = _signed_high(u)
            k = (hu >> 20) - 1023
            c = (1.0 - (u - x) if k > 0 else x - (u - 1.0)) / u
        else:  # x >= 2^53: 1 is lost in 1 + x
            u = x
            hu = _signed_high(u)
            k = (hu >> 20) - 1023
        hu &= 0x000FFFFF
        if hu < 0x6A09E:  # u = 2^k * m with m in [sqrt(2)/2, sqrt(2))
            u = _double(hu | 0x3FF00000, _words(u)[1])
        else:
            k += 1
            u = _double(hu | 0x3FE00000, _words(u)[1])
            hu = (0x00100000 - hu) >> 2
        f = u - 1.0
    half_square = 0.5 * f * f
    dk = float(k)
    if hu == 0:  # |f| < 2^-20
        if f == 0.0:
            return 0.0 if k == 0 else dk * _LN2_HI + (c + dk * _LN2_LO)
        r = half_square * (1.0 - 0.66666666666666666 * f)
        return f - r if k == 0 else dk * _LN2_HI - ((r - (dk * _LN2_LO + c)) - f)
    s = f / (2.0 + f)
    z = s * s
    # log1p's polynomial is log's (fdlibm's Lp1..Lp7 have Lg1..Lg7's bits), evaluated by Horner's rule.
    r = z * (_LG1 + z * (_LG2 + z * (_LG3 + z * (_LG4 + z * (_LG5 + z * (_LG6 + z * _LG7))))))
    if k == 0:
        return f - (half_square - s * (half_square + r))
    return dk * _LN2_HI - ((half_square - (s * (half_square + r) + (dk * _LN2_LO + c))) - f)


# hypot: sqrt(a*a + b*b) for a >= b, with a and b scaled into a range where the squares neither overflow
# nor underflow, and each product split into a 21-bit high part (its high word) and the rest so that the
# sum under the root is exact to about a bit more than a double. JDK 17 runs the Java port (FdLibm.Hypot).
_TWO_M600, _TWO_P600, _TWO_1022 = _double(0x1A700000, 0), _double(0x65700000, 0), _double(0x7FD00000, 0)


def hypot(x: float, y: float) -> float:
    """StrictMath.hypot (+inf when either is infinite, even if the other is NaN)."""
    a, b = abs(x), abs(y)
    if not (math.isfinite(a) and math.isfinite(b)):
        return math.inf if math.isinf(a) or math.isinf(b) else a + b
    if b > a:
        a, b = b, a
    ha, hb = _words(a)[0], _words(b)[0]
    if ha - hb > 0x3C00000:  # a / b > 2^60: b is below a's last bit
        return a + b
    k = 0
    if ha > 0x5F300000:  # a > 2^500: scale both by 2^-600
        ha, hb, k = ha - 0x25800000, hb - 0x25800000, k + 600
        a, b = a * _TWO_M600, b * _TWO_M600
    if hb < 0x20B00000:  # b < 2^-500
        if hb < 0x00100000:  # subnormal b or 0
            if b == 0.0:
                return a
            # Scaled by 2^1022, but ha and hb are left as they were (as in fdlibm and its Java port).
            a, b, k = a * _TWO_1022, b * _TWO_1022, k - 1022
        else:  # scale both by 2^600
            ha, hb, k = ha + 0x25800000, hb + 0x25800000, k - 600
            a, b = a * _TWO_P600, b * _TWO_P600
    w = a - b
    if w > b:
        t1 = _double(ha, 0)
        t2 = a - t1
        w = math.sqrt(t1 * t1 - (b * (-b) - t2 * (a + t1)))
    else:
        a = a + a
        y1 = _double(hb, 0)
        y2 = b - y1
        t1 = _double(ha + 0x00100000, 0)
        t2 = a - t1
        w = math.sqrt(t1 * y1 - (w * (-w) - (t1 * y2 + t2 * b)))
    return _double(0x3FF00000 + (k << 20), 0) * w if k else w

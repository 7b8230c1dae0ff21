"""StrictMath's cube root and logarithms, to the last bit, as Databricks computes them.

Databricks' `cbrt`, `ln`, `log`, `log2` and `log10` are Java's StrictMath functions, whose results are
those of fdlibm's algorithms; the C library's (DuckDB's, Python's) are correctly rounded or close to it
and differ in the last bit for a few inputs in a hundred (ln(3) is 1.0986122886681096 in Databricks,
1.0986122886681098 in DuckDB), which a hash, a comparison or a later pmod can make visible. Each is
written here after fdlibm's algorithm, with its constants given by their bits. So are `expm1`, `log1p` and
`hypot` (StrictMath's too; the C library's differ in the last bit for a few inputs in a thousand, hypot's for
about one pair in eight), and `atan`, `atan2`, `asin`, `acos`, `sinh`, `cosh` and `tanh` (Databricks' are
Java's Math functions, which on a JDK 17 JVM are not compiled to intrinsics but call StrictMath's; the C
library's differ for about one input in 10 to 20, sinh's and tanh's one in 500 to 1000) and `exp` (Spark's
calls StrictMath.exp itself; Math.exp, an intrinsic, would differ for one input in 20).
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


# The NaN that an invalid operation (0/0, inf - inf) gives on this machine: fdlibm answers a domain error
# with (x - x) / (x - x), and the JVM passes that NaN on as it is (on x86_64 its sign bit is set).
_INVALID = math.inf - math.inf

# atan: |x| >= 7/16 is reduced by atan(x) = atan(c) + atan((x - c) / (1 + x*c)) with c = 0.5, 1, 1.5 or
# infinity (atan(c) in two parts), leaving |x| <= 7/16 for an odd polynomial of degree 23 in x, whose terms
# in x*x are summed as two polynomials in x^4 (odd and even).
_ATAN_HI = (
    _double(0x3FDDAC67, 0x0561BB4F),
    _double(0x3FE921FB, 0x54442D18),
    _double(0x3FEF730B, 0xD281F69B),
    _double(0x3FF921FB, 0x54442D18),
)
_ATAN_LO = (
    _double(0x3C7A2B7F, 0x222F65E2),
    _double(0x3C81A626, 0x33145C07),
    _double(0x3C700788, 0x7AF0CBBD),
    _double(0x3C91A626, 0x33145C07),
)
_AT0, _AT1, _AT2 = _double(0x3FD55555, 0x5555550D), _double(0xBFC99999, 0x9998EBC4), _double(0x3FC24924, 0x920083FF)
_AT3, _AT4, _AT5 = _double(0xBFBC71C6, 0xFE231671), _double(0x3FB745CD, 0xC54C206E), _double(0xBFB3B0F2, 0xAF749A6D)
_AT6, _AT7, _AT8 = _double(0x3FB10D66, 0xA0D03D51), _double(0xBFADDE2D, 0x52DEFD9A), _double(0x3FA97B4B, 0x24760DEB)
_AT9, _AT10 = _double(0xBFA2B444, 0x2C6A6C2F), _double(0x3F90AD3A, 0xE322DA11)


def atan(value: float) -> float:
    """StrictMath.atan."""
    high, low = _words(value)
    absolute = high & 0x7FFFFFFF
    negative = bool(high & 0x80000000)
    if absolute >= 0x44100000:  # |x| >= 2^66: +-pi/2 to the last bit, or NaN
        if absolute > 0x7FF00000 or (absolute == 0x7FF00000 and low != 0):
            return value + value
        return -_ATAN_HI[3] - _ATAN_LO[3] if negative else _ATAN_HI[3] + _ATAN_LO[3]
    x = value
    if absolute < 0x3FDC0000:  # |x| < 7/16: no reduction
        if absolute < 0x3E200000:  # |x| < 2^-29: atan(x) rounds to x (and keeps -0.0)
            return x
        part = -1
    else:
        x = abs(x)
        if absolute < 0x3FE60000:  # 7/16 <= |x| < 11/16: c = 0.5
            part, x = 0, (2.0 * x - 1.0) / (2.0 + x)
        elif absolute < 0x3FF30000:  # |x| < 19/16: c = 1
            part, x = 1, (x - 1.0) / (x + 1.0)
        elif absolute < 0x40038000:  # |x| < 39/16: c = 1.5
            part, x = 2, (x - 1.5) / (1.0 + 1.5 * x)
        else:  # c = infinity: atan(x) = pi/2 + atan(-1/x)
            part, x = 3, -1.0 / x
    z = x * x
    w = z * z
    odd = z * (_AT0 + w * (_AT2 + w * (_AT4 + w * (_AT6 + w * (_AT8 + w * _AT10)))))
    even = w * (_AT1 + w * (_AT3 + w * (_AT5 + w * (_AT7 + w * _AT9))))
    if part < 0:
        return x - x * (odd + even)
    z = _ATAN_HI[part] - ((x * (odd + even) - _ATAN_LO[part]) - x)
    return -z if negative else z


# atan2: the quadrant from the signs, atan(|y / x|) in it, pi in two parts so that pi - atan keeps its bits.
_PI, _PI_LO = _double(0x400921FB, 0x54442D18), _double(0x3CA1A626, 0x33145C07)
_PIO2_HI, _PIO2_LO, _PIO4 = _ATAN_HI[3], _ATAN_LO[3], _ATAN_HI[1]
_TINY = 1.0e-300  # added to the exact answers as fdlibm does (to raise inexact); it rounds away


def atan2(y: float, x: float) -> float:
    """StrictMath.atan2, signed zeros choosing the side (Spark's adds 0.0 to y and x first: -0.0 is 0.0)."""
    hx, lx = _words(x)
    hy, ly = _words(y)
    ix, iy = hx & 0x7FFFFFFF, hy & 0x7FFFFFFF
    if math.isnan(x) or math.isnan(y):
        return x + y
    if hx == 0x3FF00000 and lx == 0:  # x = 1
        return atan(y)
    quadrant = (hy >> 31) | ((hx >> 30) & 2)  # 2 * (x < 0) + (y < 0), zeros by their signs
    if (iy | ly) == 0:  # y = +-0: +-0 to the right, +-pi to the left
        if quadrant < 2:
            return y
        return _PI + _TINY if quadrant == 2 else -_PI - _TINY
    if (ix | lx) == 0:  # x = +-0: +-pi/2
        return -_PIO2_HI - _TINY if hy & 0x80000000 else _PIO2_HI + _TINY
    if ix == 0x7FF00000:  # x = +-inf
        if iy == 0x7FF00000:  # and y too: an odd multiple of pi/4
            return (_PIO4 + _TINY, -_PIO4 - _TINY, 3.0 * _PIO4 + _TINY, -3.0 * _PIO4 - _TINY)[quadrant]
        return (0.0, -0.0, _PI + _TINY, -_PI - _TINY)[quadrant]
    if iy == 0x7FF00000:  # y = +-inf, x finite: +-pi/2
        return -_PIO2_HI - _TINY if hy & 0x80000000 else _PIO2_HI + _TINY
    k = (iy - ix) >> 20  # the difference of the exponents
    if k > 60:  # |y / x| > 2^60: pi/2 (with half of pi's low part, as fdlibm)
        z = _PIO2_HI + 0.5 * _PI_LO
    elif hx & 0x80000000 and k < -60:  # |y / x| < 2^-60 and x < 0: pi to the last bit
        z = 0.0
    else:
        z = atan(abs(y / x))
    if quadrant == 0:
        return z
    if quadrant == 1:
        return -z
    if quadrant == 2:
        return _PI - (z - _PI_LO)
    return (z - _PI_LO) - _PI


# asin and acos: asin(x) = x + x^3 * R(x^2) for |x| < 0.5, R a rational function (p / q) of degree 6 over
# 4; beyond, asin(x) = pi/2 - 2 asin(sqrt((1 - |x|) / 2)), with sqrt split into a 32-bit high part and a
# correction where cancellation would lose bits.
_PS0, _PS1, _PS2 = _double(0x3FC55555, 0x55555555), _double(0xBFD4D612, 0x03EB6F7D), _double(0x3FC9C155, 0x0E884455)
_PS3, _PS4, _PS5 = _double(0xBFA48228, 0xB5688F3B), _double(0x3F49EFE0, 0x7501B288), _double(0x3F023DE1, 0x0DFDF709)
_QS1, _QS2 = _double(0xC0033A27, 0x1C8A2D4B), _double(0x40002AE5, 0x9C598AC8)
_QS3, _QS4 = _double(0xBFE6066C, 0x1B8D0159), _double(0x3FB3B8C5, 0xB12E9282)


def _asin_ratio(t: float) -> tuple[float, float]:
    """(p, q): asin(x) = x + x * p / q for t = x*x."""
    p = t * (_PS0 + t * (_PS1 + t * (_PS2 + t * (_PS3 + t * (_PS4 + t * _PS5)))))
    q = 1.0 + t * (_QS1 + t * (_QS2 + t * (_QS3 + t * _QS4)))
    return p, q


def asin(value: float) -> float:
    """StrictMath.asin (NaN outside [-1, 1])."""
    high, low = _words(value)
    absolute = high & 0x7FFFFFFF
    x = value
    if absolute >= 0x3FF00000:  # |x| >= 1, infinities and NaN
        if absolute == 0x3FF00000 and low == 0:  # +-pi/2
            return x * _PIO2_HI + x * _PIO2_LO
        return x + x if x != x else _INVALID
    if absolute < 0x3FE00000:  # |x| < 0.5
        if absolute < 0x3E400000:  # |x| < 2^-27: asin(x) rounds to x
            return x
        p, q = _asin_ratio(x * x)
        return x + x * (p / q)
    t = (1.0 - abs(x)) * 0.5
    p, q = _asin_ratio(t)
    s = math.sqrt(t)
    if absolute >= 0x3FEF3333:  # |x| > 0.975: pi/2 - 2 (s + s * R) directly
        t = _PIO2_HI - (2.0 * (s + s * (p / q)) - _PIO2_LO)
    else:  # pi/4 - (2 s R - pi/2 lo - 2 c) + (pi/4 - 2 w), w = s to 32 bits and c its remainder
        w = _double(_words(s)[0], 0)
        c = (t - w * w) / (s + w)
        p = 2.0 * s * (p / q) - (_PIO2_LO - 2.0 * c)
        q = _PIO4 - 2.0 * w
        t = _PIO4 - (p - q)
    return -t if high & 0x80000000 else t


def acos(value: float) -> float:
    """StrictMath.acos (NaN outside [-1, 1])."""
    high, low = _words(value)
    absolute = high & 0x7FFFFFFF
    x = value
    if absolute >= 0x3FF00000:  # |x| >= 1, infinities and NaN
        if absolute == 0x3FF00000 and low == 0:  # acos(1) = 0, acos(-1) = pi
            return _PI + 2.0 * _PIO2_LO if high & 0x80000000 else 0.0
        return x + x if x != x else _INVALID
    if absolute < 0x3FE00000:  # |x| < 0.5: pi/2 - asin(x)
        if absolute <= 0x3C600000:  # |x| <= 2^-57: pi/2
            return _PIO2_HI + _PIO2_LO
        p, q = _asin_ratio(x * x)
        return _PIO2_HI - (x - (_PIO2_LO - x * (p / q)))
    if high & 0x80000000:  # x <= -0.5: pi - 2 asin(sqrt((1 + x) / 2))
        z = (1.0 + x) * 0.5
        p, q = _asin_ratio(z)
        s = math.sqrt(z)
        return _PI - 2.0 * (s + ((p / q) * s - _PIO2_LO))
    # x >= 0.5: 2 asin(sqrt((1 - x) / 2)), the root as a 32-bit high part and its remainder
    z = (1.0 - x) * 0.5
    s = math.sqrt(z)
    high_part = _double(_words(s)[0], 0)
    c = (z - high_part * high_part) / (s + high_part)
    p, q = _asin_ratio(z)
    return 2.0 * (high_part + ((p / q) * s + c))


# exp: x = k * ln(2) + r with |r| <= ln(2) / 2 (r as hi - lo), exp(r) from a rational approximation whose
# denominator's polynomial has these coefficients, then 2^k * exp(r) by adding k to the exponent bits.
# StrictMath.exp is the Java port of it (FdLibm.Exp); sinh and cosh call fdlibm's C one, the same algorithm.
# Spark's exp is StrictMath.exp (not Math.exp, which HotSpot replaces with its own, different in the last bit).
_EXP_UNDERFLOW = _double(0xC0874910, 0xD52D3051)  # below it exp(x) rounds to 0
_TWO_M1000 = _double(0x01700000, 0)
_P1, _P2, _P3 = _double(0x3FC55555, 0x5555553E), _double(0xBF66C16C, 0x16BEBD93), _double(0x3F11566A, 0xAF25DE2C)
_P4, _P5 = _double(0xBEBBBD41, 0xC5D26BF1), _double(0x3E663769, 0x72BEA4D0)


def exp(value: float) -> float:
    """StrictMath.exp."""
    high, low = _words(value)
    negative = bool(high & 0x80000000)
    high &= 0x7FFFFFFF
    x = value
    if high >= 0x40862E42:  # |x| >= 709.78: non-finite, overflowing or underflowing
        if high >= 0x7FF00000:
            if ((high & 0x000FFFFF) | low) != 0:
                return x + x  # NaN
            return 0.0 if negative else x  # exp(+-inf) = 0, +inf
        if x > _EXPM1_OVERFLOW:
            return math.inf
        if x < _EXP_UNDERFLOW:
            return 0.0
    if high > 0x3FD62E42:  # |x| > ln(2) / 2: reduce
        if high < 0x3FF0A2B2:  # and |x| < 1.5 ln(2): k = +-1 without a multiplication
            hi, lo, k = (x + _LN2_HI, -_LN2_LO, -1) if negative else (x - _LN2_HI, _LN2_LO, 1)
        else:
            k = int(_INVLN2 * x + (-0.5 if negative else 0.5))  # C's cast: towards zero
            t = float(k)
            hi = x - t * _LN2_HI  # exact: ln2_hi has 32 bits, k at most 11
            lo = t * _LN2_LO
        x = hi - lo
    elif high < 0x3E300000:  # |x| < 2^-28: 1 + x
        return 1.0 + x
    else:
        k, hi, lo = 0, 0.0, 0.0
    t = x * x
    c = x - t * (_P1 + t * (_P2 + t * (_P3 + t * (_P4 + t * _P5))))
    if k == 0:
        return 1.0 - ((x * c) / (c - 2.0) - x)
    y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi)
    if k >= -1021:
        return _times_two_to(y, k)
    return _times_two_to(y, k + 1000) * _TWO_M1000  # a subnormal result: round once, in the multiplication


# sinh and cosh from expm1 (small |x|, where exp(x) - 1 would cancel) or exp, and beyond ln(DBL_MAX) as
# (exp(|x|/2) / 2) * exp(|x|/2) until the result overflows, which happens above these bits of x.
_SINH_OVERFLOW_HIGH, _SINH_OVERFLOW_LOW = 0x408633CE, 0x8FB9F87D
_SHUGE = 1.0e307


def sinh(value: float) -> float:
    """StrictMath.sinh."""
    high, low = _words(value)
    absolute = high & 0x7FFFFFFF
    x = value
    if absolute >= 0x7FF00000:  # +-inf and NaN
        return x + x
    h = -0.5 if high & 0x80000000 else 0.5
    if absolute < 0x40360000:  # |x| < 22: sign(x) (E + E / (E + 1)) / 2, E = expm1(|x|)
        if absolute < 0x3E300000:  # |x| < 2^-28: sinh(x) rounds to x
            return x
        t = expm1(abs(x))
        if absolute < 0x3FF00000:
            return h * (2.0 * t - t * t / (t + 1.0))
        return h * (t + t / (t + 1.0))
    if absolute < 0x40862E42:  # |x| < ln(DBL_MAX): exp(-|x|) is below exp(|x|)'s last bit
        return h * exp(abs(x))
    if absolute < _SINH_OVERFLOW_HIGH or (absolute == _SINH_OVERFLOW_HIGH and low <= _SINH_OVERFLOW_LOW):
        w = exp(0.5 * abs(x))
        return (h * w) * w
    return x * _SHUGE  # overflows to +-inf


def cosh(value: float) -> float:
    """StrictMath.cosh."""
    high, low = _words(value)
    absolute = high & 0x7FFFFFFF
    x = value
    if absolute >= 0x7FF00000:  # +inf for both infinities; NaN
        return x * x
    if absolute < 0x3FD62E43:  # |x| < ln(2) / 2: 1 + E^2 / (2 (1 + E)), E = expm1(|x|)
        t = expm1(abs(x))
        w = 1.0 + t
        if absolute < 0x3C800000:  # |x| < 2^-55: 1
            return w
        return 1.0 + (t * t) / (w + w)
    if absolute < 0x40360000:  # |x| < 22: (exp(|x|) + 1 / exp(|x|)) / 2
        t = exp(abs(x))
        return 0.5 * t + 0.5 / t
    if absolute < 0x40862E42:  # |x| < ln(DBL_MAX): exp(|x|) / 2
        return 0.5 * exp(abs(x))
    if absolute < _SINH_OVERFLOW_HIGH or (absolute == _SINH_OVERFLOW_HIGH and low <= _SINH_OVERFLOW_LOW):
        w = exp(0.5 * abs(x))
        return (0.5 * w) * w
    return math.inf


def tanh(value: float) -> float:
    """StrictMath.tanh."""
    high = _signed_high(value)
    absolute = high & 0x7FFFFFFF
    x = value
    if absolute >= 0x7FF00000:  # tanh(+-inf) = +-1; NaN
        return 1.0 / x + 1.0 if high >= 0 else 1.0 / x - 1.0
    if absolute < 0x40360000:  # |x| < 22
        if absolute < 0x3C800000:  # |x| < 2^-55: x (1 + x), which rounds to x
            return x * (1.0 + x)
        if absolute >= 0x3FF00000:  # |x| >= 1: 1 - 2 / (expm1(2|x|) + 2)
            t = expm1(2.0 * abs(x))
            z = 1.0 - 2.0 / (t + 2.0)
        else:  # -expm1(-2|x|) / (expm1(-2|x|) + 2)
            t = expm1(-2.0 * abs(x))
            z = -t / (t + 2.0)
    else:  # |x| >= 22: +-1 (1 - tiny, as fdlibm writes it, rounds to 1)
        z = 1.0 - _TINY
    return z if high >= 0 else -z

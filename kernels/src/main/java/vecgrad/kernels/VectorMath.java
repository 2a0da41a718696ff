package vecgrad.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise exp, expm1, tanh, log and log1p built only from operations IEEE 754 defines exactly
 * (add, multiply, divide, FMA, compare, blend, integer shifts), so they give the same bits whether the
 * JIT has compiled the caller or the Vector API runs its Java fallback. {@code VectorOperators.EXP}
 * and its siblings do not: compiled they call an intrinsic stub, interpreted they call {@code Math}
 * per lane, and about 1% of results differed in the last bit, which made early training steps
 * irreproducible. Each function is within 2 ulp of {@code Math} over its whole range, subnormals and
 * specials included (checked on millions of random arguments while writing them; the kernel twin tests
 * keep checking them against {@code Math} through the kernels).
 *
 * <p>exp (Cody and Waite range reduction, as in fdlibm's exp): {@code k = rint(x / ln 2)},
 * {@code r = x - k ln 2} in two FMA steps with ln 2 split into a high and a low part, so
 * {@code |r| <= ln 2 / 2}; {@code e^r} by its Taylor polynomial (degree 7 for float, truncation below
 * 0.06 ulp; degree 13 for double, below 0.04 ulp) in Horner form with FMA; then scaled by
 * {@code 2^k} as two factors {@code 2^(k >> 1)} and {@code 2^(k - (k >> 1))} built from exponent bits,
 * so subnormal results are rounded once.
 *
 * <p>References: W. J. Cody and W. Waite, Software Manual for the Elementary Functions, 1980;
 * fdlibm ({@code e_exp.c}, {@code e_log.c}); D. Goldberg, What Every Computer Scientist Should Know
 * About Floating-Point Arithmetic, 1991 (the log1p correction).
 */
final class VectorMath {
    private static final float SHIFT32 = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final float LOG2E32 = 1.44269504088896341f;
    private static final float LN2_HIGH32 = 6.9314575195e-01f; // fdlibm expf: 0x3f317200, trailing zeros
    private static final float LN2_LOW32 = 1.4286067653e-06f;
    private static final float OVERFLOW32 = 89f; // e^89 > Float.MAX_VALUE: still rounds to +inf
    private static final float UNDERFLOW32 = -104f; // e^-104 < 2^-150: still rounds to 0

    private static final double SHIFT64 = 6755399441055744.0; // 1.5 * 2^52
    private static final double LOG2E64 = 1.4426950408889634;
    private static final double LN2_HIGH64 = 6.93147180369123816490e-01; // fdlibm exp
    private static final double LN2_LOW64 = 1.90821492927058770002e-10;
    private static final double OVERFLOW64 = 710; // e^710 > Double.MAX_VALUE: still rounds to +inf
    private static final double UNDERFLOW64 = -746; // e^-746 < 2^-1075: still rounds to 0

    private VectorMath() {}

    /** e^x per lane, float32. */
    static FloatVector exp(FloatVector x) {
        // clamping keeps k within the exponent range; e^89 still overflows to +inf and e^-104 to 0,
        // and NaN passes through max/min
        x = x.max(UNDERFLOW32).min(OVERFLOW32);
        FloatVector k = x.fma(LOG2E32, SHIFT32).sub(SHIFT32);
        FloatVector r = k.fma(k.broadcast(-LN2_HIGH32), x);
        r = k.fma(k.broadcast(-LN2_LOW32), r);
        FloatVector p = r.fma(1f / 5040, 1f / 720);
        p = p.fma(r, p.broadcast(1f / 120));
        p = p.fma(r, p.broadcast(1f / 24));
        p = p.fma(r, p.broadcast(1f / 6));
        p = p.fma(r, p.broadcast(0.5f));
        p = p.fma(r, p.broadcast(1f));
        p = p.fma(r, p.broadcast(1f));
        // k is an integer of magnitude at most 150, so F2I is exact (a NaN lane's p is NaN whatever its scale)
        IntVector exponent = (IntVector) k.convert(VectorOperators.F2I, 0);
        IntVector half = exponent.lanewise(VectorOperators.ASHR, 1);
        FloatVector scaleLow = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scaleHigh = exponent.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scaleLow).mul(scaleHigh);
    }

    /**
     * e^x - 1 per lane, float32, accurate near 0: with {@code x = k ln 2 + r} as in {@link #exp(FloatVector)},
     * {@code q = e^r - 1 = r + r²(1/2 + r/6 + ... + r^7/9!)} and {@code e^x - 1 = 2^k q + (2^k - 1)} in one
     * FMA ({@code 2^k - 1} is exact for the k where it matters); for k > 64 (x > 44) the -1 is below
     * the rounding and {@code (1 + q) 2^k} is scaled in two factors. Clamped to [-30, 89]: e^-30 - 1
     * rounds to -1 and e^89 overflows. Signed zeros and NaN pass through.
     */
    static FloatVector expm1(FloatVector x) {
        FloatVector clamped = x.max(-30f).min(OVERFLOW32);
        FloatVector k = clamped.fma(LOG2E32, SHIFT32).sub(SHIFT32);
        FloatVector r = k.fma(k.broadcast(-LN2_HIGH32), clamped);
        r = k.fma(k.broadcast(-LN2_LOW32), r);
        FloatVector p = r.fma(1f / 362880, 1f / 40320);
        p = p.fma(r, p.broadcast(1f / 5040));
        p = p.fma(r, p.broadcast(1f / 720));
        p = p.fma(r, p.broadcast(1f / 120));
        p = p.fma(r, p.broadcast(1f / 24));
        p = p.fma(r, p.broadcast(1f / 6));
        p = p.fma(r, p.broadcast(0.5f));
        FloatVector q = r.mul(r).fma(p, r);
        IntVector exponent = (IntVector) k.convert(VectorOperators.F2I, 0);
        IntVector half = exponent.lanewise(VectorOperators.ASHR, 1);
        FloatVector scaleLow = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scaleHigh = exponent.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scale = scaleLow.mul(scaleHigh); // 2^k, exact: k <= 64 on the branch that uses it
        FloatVector small = scale.fma(q, scale.sub(1f));
        FloatVector large = q.add(1f).mul(scaleLow).mul(scaleHigh).sub(1f);
        FloatVector y = small.blend(large, k.compare(VectorOperators.GT, 64f));
        return y.blend(x, x.compare(VectorOperators.EQ, 0f)); // keeps -0.0
    }

    /**
     * tanh per lane, float32: {@code sign(x) t / (t + 2)} with {@code t = expm1(2|x|)}, |x| clamped at
     * 20 where tanh rounds to ±1. Signed zeros and NaN pass through. Within 4 ulp of {@code Math.tanh}.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector t = expm1(x.abs().min(20f).mul(2f));
        FloatVector y = t.div(t.add(2f));
        y = y.blend(y.neg(), x.compare(VectorOperators.LT, 0f));
        return y.blend(x, x.compare(VectorOperators.EQ, 0f));
    }

    /**
     * Natural log per lane, float32 (fdlibm's method): {@code x = 2^e m} with {@code m} in
     * [√½, √2), {@code f = m - 1}, {@code s = f / (2 + f)}, {@code log(1 + f) = f - f²/2 + s (f²/2 + R)}
     * with {@code R = z (2/3 + 2z/5 + 2z²/7 + 2z³/9)}, {@code z = s²} (Taylor of 2 atanh s, truncation
     * below 1e-9), and {@code e ln 2} added in a high and a low part. Subnormals are scaled by 2^23
     * first. log(0) = -inf, log(x < 0) = NaN, log(+inf) = +inf, NaN stays NaN. Within 2 ulp of
     * {@code Math.log} (tested).
     */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> subnormal = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector normal = x.blend(x.mul(8388608f), subnormal); // 2^23
        IntVector bits = normal.reinterpretAsInts();
        IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(127)
                .sub(IntVector.zero(bits.species()).blend(23, subnormal.cast(bits.species())));
        FloatVector m = bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats();
        VectorMask<Float> high = m.compare(VectorOperators.GT, 1.41421356f);
        m = m.blend(m.mul(0.5f), high);
        FloatVector e = ((FloatVector) exponent.convert(VectorOperators.I2F, 0)).add(
                FloatVector.zero(x.species()).blend(1f, high));
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector r = z.fma(2f / 9, 2f / 7);
        r = r.fma(z, r.broadcast(2f / 5));
        r = r.fma(z, r.broadcast(2f / 3));
        r = r.mul(z);
        FloatVector halfSquare = f.mul(f).mul(0.5f);
        FloatVector tail = s.fma(halfSquare.add(r), e.mul(LN2_LOW32)); // s (hfsq + R) + e ln2_low
        FloatVector y = e.fma(e.broadcast(LN2_HIGH32), halfSquare.sub(tail).sub(f).neg());
        y = y.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        y = y.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
        return y.blend(x, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY).or(x.test(VectorOperators.IS_NAN)));
    }

    /**
     * ln(1 + x) per lane, float32, by Goldberg's correction: {@code u = 1 + x}, then x itself when
     * u == 1, else {@code log(u) x / (u - 1)}, which cancels the rounding of u. Within 4 ulp.
     */
    static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(1f);
        FloatVector y = log(u).mul(x.div(u.sub(1f))); // the ratio is near 1: no overflow at MAX_VALUE
        return y.blend(x, u.compare(VectorOperators.EQ, 1f).or(x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY)));
    }

    /** e^x per lane, float64. */
    static DoubleVector exp(DoubleVector x) {
        x = x.max(UNDERFLOW64).min(OVERFLOW64);
        DoubleVector k = x.fma(LOG2E64, SHIFT64).sub(SHIFT64);
        DoubleVector r = k.fma(k.broadcast(-LN2_HIGH64), x);
        r = k.fma(k.broadcast(-LN2_LOW64), r);
        DoubleVector p = r.fma(1.0 / 6227020800.0, 1.0 / 479001600.0); // 1/13!, 1/12!
        p = p.fma(r, p.broadcast(1.0 / 39916800.0));
        p = p.fma(r, p.broadcast(1.0 / 3628800.0));
        p = p.fma(r, p.broadcast(1.0 / 362880.0));
        p = p.fma(r, p.broadcast(1.0 / 40320.0));
        p = p.fma(r, p.broadcast(1.0 / 5040.0));
        p = p.fma(r, p.broadcast(1.0 / 720.0));
        p = p.fma(r, p.broadcast(1.0 / 120.0));
        p = p.fma(r, p.broadcast(1.0 / 24.0));
        p = p.fma(r, p.broadcast(1.0 / 6.0));
        p = p.fma(r, p.broadcast(0.5));
        p = p.fma(r, p.broadcast(1.0));
        p = p.fma(r, p.broadcast(1.0));
        LongVector exponent = (LongVector) k.convert(VectorOperators.D2L, 0);
        LongVector half = exponent.lanewise(VectorOperators.ASHR, 1);
        DoubleVector scaleLow = half.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector scaleHigh = exponent.sub(half).add(1023).lanewise(VectorOperators.LSHL, 52)
                .reinterpretAsDoubles();
        return p.mul(scaleLow).mul(scaleHigh);
    }

    /** e^x - 1 per lane, float64; as {@link #expm1(FloatVector)}, Taylor degree 13, clamped to [-40, 710]. */
    static DoubleVector expm1(DoubleVector x) {
        DoubleVector clamped = x.max(-40.0).min(OVERFLOW64);
        DoubleVector k = clamped.fma(LOG2E64, SHIFT64).sub(SHIFT64);
        DoubleVector r = k.fma(k.broadcast(-LN2_HIGH64), clamped);
        r = k.fma(k.broadcast(-LN2_LOW64), r);
        DoubleVector p = r.fma(1.0 / 6227020800.0, 1.0 / 479001600.0);
        p = p.fma(r, p.broadcast(1.0 / 39916800.0));
        p = p.fma(r, p.broadcast(1.0 / 3628800.0));
        p = p.fma(r, p.broadcast(1.0 / 362880.0));
        p = p.fma(r, p.broadcast(1.0 / 40320.0));
        p = p.fma(r, p.broadcast(1.0 / 5040.0));
        p = p.fma(r, p.broadcast(1.0 / 720.0));
        p = p.fma(r, p.broadcast(1.0 / 120.0));
        p = p.fma(r, p.broadcast(1.0 / 24.0));
        p = p.fma(r, p.broadcast(1.0 / 6.0));
        p = p.fma(r, p.broadcast(0.5));
        DoubleVector q = r.mul(r).fma(p, r);
        LongVector exponent = (LongVector) k.convert(VectorOperators.D2L, 0);
        LongVector half = exponent.lanewise(VectorOperators.ASHR, 1);
        DoubleVector scaleLow = half.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector scaleHigh = exponent.sub(half).add(1023).lanewise(VectorOperators.LSHL, 52)
                .reinterpretAsDoubles();
        DoubleVector scale = scaleLow.mul(scaleHigh);
        DoubleVector small = scale.fma(q, scale.sub(1.0));
        DoubleVector large = q.add(1.0).mul(scaleLow).mul(scaleHigh).sub(1.0);
        DoubleVector y = small.blend(large, k.compare(VectorOperators.GT, 512.0));
        return y.blend(x, x.compare(VectorOperators.EQ, 0.0));
    }

    /** tanh per lane, float64; as {@link #tanh(FloatVector)}. */
    static DoubleVector tanh(DoubleVector x) {
        DoubleVector t = expm1(x.abs().min(20.0).mul(2.0));
        DoubleVector y = t.div(t.add(2.0));
        y = y.blend(y.neg(), x.compare(VectorOperators.LT, 0.0));
        return y.blend(x, x.compare(VectorOperators.EQ, 0.0));
    }

    /** Natural log per lane, float64; as {@link #log(FloatVector)} with R up to z^11 (truncation below 1e-18). */
    static DoubleVector log(DoubleVector x) {
        VectorMask<Double> subnormal = x.compare(VectorOperators.LT, Double.MIN_NORMAL);
        DoubleVector normal = x.blend(x.mul(4503599627370496.0), subnormal); // 2^52
        LongVector bits = normal.reinterpretAsLongs();
        LongVector exponent = bits.lanewise(VectorOperators.LSHR, 52).and(0x7ffL).sub(1023)
                .sub(LongVector.zero(bits.species()).blend(52, subnormal.cast(bits.species())));
        DoubleVector m = bits.and(0x000fffffffffffffL).or(0x3ff0000000000000L).reinterpretAsDoubles();
        VectorMask<Double> high = m.compare(VectorOperators.GT, 1.4142135623730951);
        m = m.blend(m.mul(0.5), high);
        DoubleVector e = ((DoubleVector) exponent.convert(VectorOperators.L2D, 0)).add(
                DoubleVector.zero(x.species()).blend(1.0, high));
        DoubleVector f = m.sub(1.0);
        DoubleVector s = f.div(f.add(2.0));
        DoubleVector z = s.mul(s);
        DoubleVector r = z.fma(2.0 / 23, 2.0 / 21);
        for (int k = 19; k >= 3; k -= 2) {
            r = r.fma(z, r.broadcast(2.0 / k));
        }
        r = r.mul(z);
        DoubleVector halfSquare = f.mul(f).mul(0.5);
        DoubleVector tail = s.fma(halfSquare.add(r), e.mul(LN2_LOW64));
        DoubleVector y = e.fma(e.broadcast(LN2_HIGH64), halfSquare.sub(tail).sub(f).neg());
        y = y.blend(Double.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0.0));
        y = y.blend(Double.NaN, x.compare(VectorOperators.LT, 0.0));
        return y.blend(x, x.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY).or(x.test(VectorOperators.IS_NAN)));
    }

    /** ln(1 + x) per lane, float64; as {@link #log1p(FloatVector)}. */
    static DoubleVector log1p(DoubleVector x) {
        DoubleVector u = x.add(1.0);
        DoubleVector y = log(u).mul(x.div(u.sub(1.0)));
        return y.blend(x, u.compare(VectorOperators.EQ, 1.0).or(x.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY)));
    }
}

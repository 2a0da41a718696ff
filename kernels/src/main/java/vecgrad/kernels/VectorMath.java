package vecgrad.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise exp built only from operations IEEE 754 defines exactly (add, multiply, FMA, compare,
 * blend, integer shifts), so it gives the same bits whether the JIT has compiled the caller or the
 * Vector API runs its Java fallback. {@code VectorOperators.EXP} does not: compiled it calls an
 * intrinsic stub, interpreted it calls {@code Math.exp} per lane, and about 1% of results differ in
 * the last bit, which made early training steps irreproducible.
 *
 * <p>Method (Cody and Waite range reduction, as in fdlibm's exp): {@code k = rint(x / ln 2)},
 * {@code r = x - k ln 2} in two FMA steps with ln 2 split into a high and a low part, so
 * {@code |r| <= ln 2 / 2}; {@code e^r} by its Taylor polynomial (degree 7 for float, truncation below
 * 0.06 ulp; degree 13 for double, below 0.04 ulp) in Horner form with FMA; then scaled by
 * {@code 2^k} as two factors {@code 2^(k >> 1)} and {@code 2^(k - (k >> 1))} built from exponent bits,
 * so subnormal results are rounded once. Within 2 ulp of {@code Math.exp} (tested); exp(NaN) = NaN,
 * exp(+inf) = +inf, exp(-inf) = 0.
 *
 * <p>Reference: W. J. Cody and W. Waite, Software Manual for the Elementary Functions, 1980.
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
}

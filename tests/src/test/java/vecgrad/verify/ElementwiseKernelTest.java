package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vecgrad.verify.KernelTwinAsserts.assertClose;
import static vecgrad.verify.KernelTwinAsserts.assertGuards;
import static vecgrad.verify.KernelTwinAsserts.assertUnchanged;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.kernels.ElementwiseKernels;
import vecgrad.kernels.ElementwiseKernels.Binary;
import vecgrad.kernels.ElementwiseReference;
import vecgrad.kernels.Parallel;
import vecgrad.kernels.Simd;
import vecgrad.kernels.SoftmaxKernels;

/**
 * {@link ElementwiseKernels} equals {@link ElementwiseReference} on every tail length, offset and
 * both dtypes. Bounds: exact (raw bits) for maps that are a single correctly rounded operation or a
 * fixed sequence of them (neg, abs, sqrt, square, relu, clamp, add, mul, ..., and every derivative
 * that only multiplies and divides); a few ulp where a transcendental is involved (the SIMD twin
 * uses the Vector API's lane-wise exp/log/tanh, the reference {@code Math}).
 */
class ElementwiseKernelTest {
    @FunctionalInterface
    interface Map32 {
        void run(float[] x, int xOff, float[] out, int outOff, int n);
    }

    @FunctionalInterface
    interface Map64 {
        void run(double[] x, int xOff, double[] out, int outOff, int n);
    }

    @FunctionalInterface
    interface Zip32 {
        void run(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);
    }

    @FunctionalInterface
    interface Zip64 {
        void run(double[] a, int aOff, double[] b, int bOff, double[] out, int outOff, int n);
    }

    /** One unary map: both twins in both dtypes, the input domain, and the allowed error in ulps. */
    record Unary(String name, double lo, double hi, double ulps32, double ulps64, Map32 simd32, Map32 ref32,
                 Map64 simd64, Map64 ref64) {}

    /** A map of two inputs (a binary op, or a derivative of (saved, grad)), with a domain per input. */
    record Zip(String name, double aLo, double aHi, double bLo, double bHi, double ulps32, double ulps64,
               Zip32 simd32, Zip32 ref32, Zip64 simd64, Zip64 ref64) {}

    static final List<Unary> UNARY = List.of(
            new Unary("neg", -5, 5, 0, 0, ElementwiseKernels::neg, ElementwiseReference::neg,
                    ElementwiseKernels::neg, ElementwiseReference::neg),
            new Unary("abs", -5, 5, 0, 0, ElementwiseKernels::abs, ElementwiseReference::abs,
                    ElementwiseKernels::abs, ElementwiseReference::abs),
            new Unary("exp", -20, 20, 2, 2, ElementwiseKernels::exp, ElementwiseReference::exp,
                    ElementwiseKernels::exp, ElementwiseReference::exp),
            new Unary("log", 1e-3, 100, 2, 2, ElementwiseKernels::log, ElementwiseReference::log,
                    ElementwiseKernels::log, ElementwiseReference::log),
            new Unary("sqrt", 0, 100, 0, 0, ElementwiseKernels::sqrt, ElementwiseReference::sqrt,
                    ElementwiseKernels::sqrt, ElementwiseReference::sqrt),
            new Unary("square", -30, 30, 0, 0, ElementwiseKernels::square, ElementwiseReference::square,
                    ElementwiseKernels::square, ElementwiseReference::square),
            new Unary("tanh", -10, 10, 3, 3, ElementwiseKernels::tanh, ElementwiseReference::tanh,
                    ElementwiseKernels::tanh, ElementwiseReference::tanh),
            // float32 sigmoid rounds exp, the sum and the quotient in float; the reference rounds once
            new Unary("sigmoid", -30, 30, 4, 4, ElementwiseKernels::sigmoid, ElementwiseReference::sigmoid,
                    ElementwiseKernels::sigmoid, ElementwiseReference::sigmoid),
            new Unary("relu", -5, 5, 0, 0, ElementwiseKernels::relu, ElementwiseReference::relu,
                    ElementwiseKernels::relu, ElementwiseReference::relu),
            new Unary("leakyRelu", -5, 5, 0, 0,
                    (x, xo, o, oo, n) -> ElementwiseKernels.leakyRelu(x, xo, o, oo, n, 0.01f),
                    (x, xo, o, oo, n) -> ElementwiseReference.leakyRelu(x, xo, o, oo, n, 0.01f),
                    (x, xo, o, oo, n) -> ElementwiseKernels.leakyRelu(x, xo, o, oo, n, 0.01),
                    (x, xo, o, oo, n) -> ElementwiseReference.leakyRelu(x, xo, o, oo, n, 0.01)),
            new Unary("elu", -8, 5, 4, 4,
                    (x, xo, o, oo, n) -> ElementwiseKernels.elu(x, xo, o, oo, n, 1.3f),
                    (x, xo, o, oo, n) -> ElementwiseReference.elu(x, xo, o, oo, n, 1.3f),
                    (x, xo, o, oo, n) -> ElementwiseKernels.elu(x, xo, o, oo, n, 1.3),
                    (x, xo, o, oo, n) -> ElementwiseReference.elu(x, xo, o, oo, n, 1.3)),
            new Unary("softplus", -30, 30, 4, 4, ElementwiseKernels::softplus, ElementwiseReference::softplus,
                    ElementwiseKernels::softplus, ElementwiseReference::softplus),
            new Unary("softplusBetaThreshold", -30, 30, 4, 4,
                    (x, xo, o, oo, n) -> ElementwiseKernels.softplus(x, xo, o, oo, n, 2f, 20f),
                    (x, xo, o, oo, n) -> ElementwiseReference.softplus(x, xo, o, oo, n, 2f, 20f),
                    (x, xo, o, oo, n) -> ElementwiseKernels.softplus(x, xo, o, oo, n, 2.0, 20.0),
                    (x, xo, o, oo, n) -> ElementwiseReference.softplus(x, xo, o, oo, n, 2.0, 20.0)),
            new Unary("clamp", -5, 5, 0, 0,
                    (x, xo, o, oo, n) -> ElementwiseKernels.clamp(x, xo, o, oo, n, -0.5f, 0.75f),
                    (x, xo, o, oo, n) -> ElementwiseReference.clamp(x, xo, o, oo, n, -0.5f, 0.75f),
                    (x, xo, o, oo, n) -> ElementwiseKernels.clamp(x, xo, o, oo, n, -0.5, 0.75),
                    (x, xo, o, oo, n) -> ElementwiseReference.clamp(x, xo, o, oo, n, -0.5, 0.75)),
            new Unary("scale", -5, 5, 0, 0,
                    (x, xo, o, oo, n) -> ElementwiseKernels.scale(x, xo, o, oo, n, -1.7f),
                    (x, xo, o, oo, n) -> ElementwiseReference.scale(x, xo, o, oo, n, -1.7f),
                    (x, xo, o, oo, n) -> ElementwiseKernels.scale(x, xo, o, oo, n, -1.7),
                    (x, xo, o, oo, n) -> ElementwiseReference.scale(x, xo, o, oo, n, -1.7)),
            new Unary("scalarPow", 0.1, 4, 2, 2,
                    (x, xo, o, oo, n) -> ElementwiseKernels.binaryScalar(Binary.POW, x, xo, 1.5f, o, oo, n),
                    (x, xo, o, oo, n) -> ElementwiseReference.binaryScalar(Binary.POW, x, xo, 1.5f, o, oo, n),
                    (x, xo, o, oo, n) -> ElementwiseKernels.binaryScalar(Binary.POW, x, xo, 1.5, o, oo, n),
                    (x, xo, o, oo, n) -> ElementwiseReference.binaryScalar(Binary.POW, x, xo, 1.5, o, oo, n)),
            new Unary("scalarSub", -5, 5, 0, 0,
                    (x, xo, o, oo, n) -> ElementwiseKernels.binaryScalar(Binary.SUB, x, xo, 0.25f, o, oo, n),
                    (x, xo, o, oo, n) -> ElementwiseReference.binaryScalar(Binary.SUB, x, xo, 0.25f, o, oo, n),
                    (x, xo, o, oo, n) -> ElementwiseKernels.binaryScalar(Binary.SUB, x, xo, 0.25, o, oo, n),
                    (x, xo, o, oo, n) -> ElementwiseReference.binaryScalar(Binary.SUB, x, xo, 0.25, o, oo, n)),
            new Unary("scalarMax", -5, 5, 0, 0,
                    (x, xo, o, oo, n) -> ElementwiseKernels.binaryScalar(Binary.MAX, x, xo, 0.5f, o, oo, n),
                    (x, xo, o, oo, n) -> ElementwiseReference.binaryScalar(Binary.MAX, x, xo, 0.5f, o, oo, n),
                    (x, xo, o, oo, n) -> ElementwiseKernels.binaryScalar(Binary.MAX, x, xo, 0.5, o, oo, n),
                    (x, xo, o, oo, n) -> ElementwiseReference.binaryScalar(Binary.MAX, x, xo, 0.5, o, oo, n)));

    static final List<Zip> ZIP = List.of(
            new Zip("add", -5, 5, -5, 5, 0, 0, ElementwiseKernels::add, ElementwiseReference::add,
                    ElementwiseKernels::add, ElementwiseReference::add),
            new Zip("sub", -5, 5, -5, 5, 0, 0, ElementwiseKernels::sub, ElementwiseReference::sub,
                    ElementwiseKernels::sub, ElementwiseReference::sub),
            new Zip("mul", -5, 5, -5, 5, 0, 0, ElementwiseKernels::mul, ElementwiseReference::mul,
                    ElementwiseKernels::mul, ElementwiseReference::mul),
            new Zip("div", -5, 5, 0.1, 5, 0, 0, ElementwiseKernels::div, ElementwiseReference::div,
                    ElementwiseKernels::div, ElementwiseReference::div),
            new Zip("pow", 0.1, 4, -3, 3, 2, 2, ElementwiseKernels::pow, ElementwiseReference::pow,
                    ElementwiseKernels::pow, ElementwiseReference::pow),
            new Zip("max", -5, 5, -5, 5, 0, 0, ElementwiseKernels::max, ElementwiseReference::max,
                    ElementwiseKernels::max, ElementwiseReference::max),
            new Zip("min", -5, 5, -5, 5, 0, 0, ElementwiseKernels::min, ElementwiseReference::min,
                    ElementwiseKernels::min, ElementwiseReference::min),
            new Zip("absBackward", -5, 5, -2, 2, 0, 0, ElementwiseKernels::absBackward,
                    ElementwiseReference::absBackward, ElementwiseKernels::absBackward,
                    ElementwiseReference::absBackward),
            new Zip("expBackward", 0, 50, -2, 2, 0, 0, ElementwiseKernels::expBackward,
                    ElementwiseReference::expBackward, ElementwiseKernels::expBackward,
                    ElementwiseReference::expBackward),
            new Zip("logBackward", 0.01, 10, -2, 2, 0, 0, ElementwiseKernels::logBackward,
                    ElementwiseReference::logBackward, ElementwiseKernels::logBackward,
                    ElementwiseReference::logBackward),
            new Zip("sqrtBackward", 0.01, 10, -2, 2, 0, 0, ElementwiseKernels::sqrtBackward,
                    ElementwiseReference::sqrtBackward, ElementwiseKernels::sqrtBackward,
                    ElementwiseReference::sqrtBackward),
            new Zip("squareBackward", -5, 5, -2, 2, 0, 0, ElementwiseKernels::squareBackward,
                    ElementwiseReference::squareBackward, ElementwiseKernels::squareBackward,
                    ElementwiseReference::squareBackward),
            new Zip("tanhBackward", -1, 1, -2, 2, 0, 0, ElementwiseKernels::tanhBackward,
                    ElementwiseReference::tanhBackward, ElementwiseKernels::tanhBackward,
                    ElementwiseReference::tanhBackward),
            new Zip("sigmoidBackward", 0, 1, -2, 2, 0, 0, ElementwiseKernels::sigmoidBackward,
                    ElementwiseReference::sigmoidBackward, ElementwiseKernels::sigmoidBackward,
                    ElementwiseReference::sigmoidBackward),
            new Zip("reluBackward", -5, 5, -2, 2, 0, 0, ElementwiseKernels::reluBackward,
                    ElementwiseReference::reluBackward, ElementwiseKernels::reluBackward,
                    ElementwiseReference::reluBackward),
            new Zip("leakyReluBackward", -5, 5, -2, 2, 0, 0,
                    (x, xo, g, go, o, oo, n) -> ElementwiseKernels.leakyReluBackward(x, xo, g, go, o, oo, n, 0.2f),
                    (x, xo, g, go, o, oo, n) -> ElementwiseReference.leakyReluBackward(x, xo, g, go, o, oo, n, 0.2f),
                    (x, xo, g, go, o, oo, n) -> ElementwiseKernels.leakyReluBackward(x, xo, g, go, o, oo, n, 0.2),
                    (x, xo, g, go, o, oo, n) -> ElementwiseReference.leakyReluBackward(x, xo, g, go, o, oo, n, 0.2)),
            new Zip("eluBackward", -8, 5, -2, 2, 4, 4,
                    (x, xo, g, go, o, oo, n) -> ElementwiseKernels.eluBackward(x, xo, g, go, o, oo, n, 1.3f),
                    (x, xo, g, go, o, oo, n) -> ElementwiseReference.eluBackward(x, xo, g, go, o, oo, n, 1.3f),
                    (x, xo, g, go, o, oo, n) -> ElementwiseKernels.eluBackward(x, xo, g, go, o, oo, n, 1.3),
                    (x, xo, g, go, o, oo, n) -> ElementwiseReference.eluBackward(x, xo, g, go, o, oo, n, 1.3)),
            new Zip("softplusBackward", -30, 30, -2, 2, 4, 4, ElementwiseKernels::softplusBackward,
                    ElementwiseReference::softplusBackward, ElementwiseKernels::softplusBackward,
                    ElementwiseReference::softplusBackward),
            new Zip("softplusBackwardBetaThreshold", -30, 30, -2, 2, 4, 4,
                    (x, xo, g, go, o, oo, n) -> ElementwiseKernels.softplusBackward(x, xo, g, go, o, oo, n, 2f, 20f),
                    (x, xo, g, go, o, oo, n) -> ElementwiseReference.softplusBackward(x, xo, g, go, o, oo, n, 2f, 20f),
                    (x, xo, g, go, o, oo, n) -> ElementwiseKernels.softplusBackward(x, xo, g, go, o, oo, n, 2.0, 20.0),
                    (x, xo, g, go, o, oo, n) -> ElementwiseReference.softplusBackward(x, xo, g, go, o, oo, n, 2.0,
                            20.0)),
            new Zip("clampBackward", -5, 5, -2, 2, 0, 0,
                    (x, xo, g, go, o, oo, n) -> ElementwiseKernels.clampBackward(x, xo, g, go, o, oo, n, -0.5f, 0.75f),
                    (x, xo, g, go, o, oo, n) -> ElementwiseReference.clampBackward(x, xo, g, go, o, oo, n, -0.5f,
                            0.75f),
                    (x, xo, g, go, o, oo, n) -> ElementwiseKernels.clampBackward(x, xo, g, go, o, oo, n, -0.5, 0.75),
                    (x, xo, g, go, o, oo, n) -> ElementwiseReference.clampBackward(x, xo, g, go, o, oo, n, -0.5,
                            0.75)));

    static Stream<Arguments> unaryCases() {
        return UNARY.stream().flatMap(c -> Cases.seeds(2).mapToObj(seed -> Arguments.of(c.name(), seed)));
    }

    static Stream<Arguments> zipCases() {
        return ZIP.stream().flatMap(c -> Cases.seeds(2).mapToObj(seed -> Arguments.of(c.name(), seed)));
    }

    static Unary unary(String name) {
        return UNARY.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    static Zip zip(String name) {
        return ZIP.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("unaryCases")
    void simdUnaryMapMatchesReference(String name, long seed) {
        Unary c = unary(name);
        Property.check(name, seed, 4099, (rng, max) -> {
            for (int n : Cases.tailLengths(Simd.F32_LANES)) {
                if (n <= max) {
                    for (int k = 0; k < Cases.OFFSETS.length; k++) {
                        unary32(c, rng, n, Cases.OFFSETS[k], Cases.OFFSETS[(k + 1) % Cases.OFFSETS.length]);
                    }
                }
            }
            for (int n : Cases.tailLengths(Simd.F64_LANES)) {
                if (n <= max) {
                    for (int k = 0; k < Cases.OFFSETS.length; k++) {
                        unary64(c, rng, n, Cases.OFFSETS[k], Cases.OFFSETS[(k + 2) % Cases.OFFSETS.length]);
                    }
                }
            }
        });
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("zipCases")
    void simdBinaryMapAndDerivativeMatchReference(String name, long seed) {
        Zip c = zip(name);
        Property.check(name, seed, 4099, (rng, max) -> {
            for (int n : Cases.tailLengths(Simd.F32_LANES)) {
                if (n <= max) {
                    for (int k = 0; k < Cases.OFFSETS.length; k++) {
                        zip32(c, rng, n, Cases.OFFSETS[k], Cases.OFFSETS[(k + 1) % 3], Cases.OFFSETS[(k + 2) % 3]);
                    }
                }
            }
            for (int n : Cases.tailLengths(Simd.F64_LANES)) {
                if (n <= max) {
                    for (int k = 0; k < Cases.OFFSETS.length; k++) {
                        zip64(c, rng, n, Cases.OFFSETS[k], Cases.OFFSETS[(k + 2) % 3], Cases.OFFSETS[(k + 1) % 3]);
                    }
                }
            }
        });
    }

    /** Allowed difference between two calls on the same input: none, except for pow's lane-wise intrinsic. */
    static double repeatUlps(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).contains("pow") ? 2 : 0;
    }

    static void unary32(Unary c, SplittableRandom rng, int n, int xOff, int outOff) {
        String what = c.name() + " float32 n=" + n + " xOff=" + xOff + " outOff=" + outOff;
        float[] x = Cases.padded(rng, xOff, n, c.lo(), c.hi());
        float[] before = x.clone();
        float[] expected = KernelTwinAsserts.output32(outOff, n);
        float[] actual = KernelTwinAsserts.output32(outOff, n);
        c.ref32().run(x, xOff, expected, outOff, n);
        c.simd32().run(x, xOff, actual, outOff, n);
        assertUnchanged(what, before, x);
        assertGuards(what, actual, outOff, n);
        assertClose(what, expected, actual, outOff, n, c.ulps32());
        // in place: out is x with the same offset, and the same bits (pow alone may differ in the last
        // bit between a cold and a warm call: it is the one lane-wise intrinsic left)
        float[] inPlace = x.clone();
        c.simd32().run(inPlace, xOff, inPlace, xOff, n);
        float[] inPlaceExpected = x.clone();
        System.arraycopy(actual, outOff, inPlaceExpected, xOff, n);
        assertClose(what + " in place", inPlaceExpected, inPlace, 0, inPlace.length, repeatUlps(c.name()));
    }

    static void unary64(Unary c, SplittableRandom rng, int n, int xOff, int outOff) {
        String what = c.name() + " float64 n=" + n + " xOff=" + xOff + " outOff=" + outOff;
        double[] x = Cases.paddedDoubles(rng, xOff, n, c.lo(), c.hi());
        double[] before = x.clone();
        double[] expected = KernelTwinAsserts.output64(outOff, n);
        double[] actual = KernelTwinAsserts.output64(outOff, n);
        c.ref64().run(x, xOff, expected, outOff, n);
        c.simd64().run(x, xOff, actual, outOff, n);
        assertUnchanged(what, before, x);
        assertGuards(what, actual, outOff, n);
        assertClose(what, expected, actual, outOff, n, c.ulps64());
        double[] inPlace = x.clone();
        c.simd64().run(inPlace, xOff, inPlace, xOff, n);
        double[] inPlaceExpected = x.clone();
        System.arraycopy(actual, outOff, inPlaceExpected, xOff, n);
        assertClose(what + " in place", inPlaceExpected, inPlace, 0, inPlace.length, repeatUlps(c.name()));
    }

    static void zip32(Zip c, SplittableRandom rng, int n, int aOff, int bOff, int outOff) {
        String what = c.name() + " float32 n=" + n + " offsets " + aOff + "/" + bOff + "/" + outOff;
        float[] a = Cases.padded(rng, aOff, n, c.aLo(), c.aHi());
        float[] b = Cases.padded(rng, bOff, n, c.bLo(), c.bHi());
        float[] aBefore = a.clone();
        float[] bBefore = b.clone();
        float[] expected = KernelTwinAsserts.output32(outOff, n);
        float[] actual = KernelTwinAsserts.output32(outOff, n);
        c.ref32().run(a, aOff, b, bOff, expected, outOff, n);
        c.simd32().run(a, aOff, b, bOff, actual, outOff, n);
        assertUnchanged(what, aBefore, a);
        assertUnchanged(what, bBefore, b);
        assertGuards(what, actual, outOff, n);
        assertClose(what, expected, actual, outOff, n, c.ulps32());
        float[] inPlace = b.clone(); // out is the second input: the gradient, for derivatives
        c.simd32().run(a, aOff, inPlace, bOff, inPlace, bOff, n);
        assertClose(what + " in place", Arrays.copyOfRange(actual, outOff, outOff + n),
                Arrays.copyOfRange(inPlace, bOff, bOff + n), 0, n, repeatUlps(c.name()));
    }

    static void zip64(Zip c, SplittableRandom rng, int n, int aOff, int bOff, int outOff) {
        String what = c.name() + " float64 n=" + n + " offsets " + aOff + "/" + bOff + "/" + outOff;
        double[] a = Cases.paddedDoubles(rng, aOff, n, c.aLo(), c.aHi());
        double[] b = Cases.paddedDoubles(rng, bOff, n, c.bLo(), c.bHi());
        double[] aBefore = a.clone();
        double[] bBefore = b.clone();
        double[] expected = KernelTwinAsserts.output64(outOff, n);
        double[] actual = KernelTwinAsserts.output64(outOff, n);
        c.ref64().run(a, aOff, b, bOff, expected, outOff, n);
        c.simd64().run(a, aOff, b, bOff, actual, outOff, n);
        assertUnchanged(what, aBefore, a);
        assertUnchanged(what, bBefore, b);
        assertGuards(what, actual, outOff, n);
        assertClose(what, expected, actual, outOff, n, c.ulps64());
        double[] inPlace = b.clone();
        c.simd64().run(a, aOff, inPlace, bOff, inPlace, bOff, n);
        assertClose(what + " in place", Arrays.copyOfRange(actual, outOff, outOff + n),
                Arrays.copyOfRange(inPlace, bOff, bOff + n), 0, n, repeatUlps(c.name()));
    }

    static Stream<Arguments> opsAndSeeds() {
        return Arrays.stream(Binary.values()).flatMap(op -> Cases.seeds(3).mapToObj(s -> Arguments.of(op, s)));
    }

    /** Row, column and scalar broadcasts, and the general strided form, against the reference and each other. */
    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("opsAndSeeds")
    void simdBroadcastsMatchReference(Binary op, long seed) {
        double bLo = op == Binary.DIV ? 0.1 : op == Binary.POW ? -2 : -3;
        double aLo = op == Binary.POW ? 0.1 : -3;
        double ulps = op == Binary.POW ? 2 : 0;
        Property.check(op + " broadcasts", seed, 2 * Simd.F32_LANES + 3, (rng, max) -> {
            for (int trial = 0; trial < 8; trial++) {
                int rows = rng.nextInt(0, max + 1);
                int cols = rng.nextInt(0, max + 1);
                int lda = Math.max(1, cols) + rng.nextInt(0, 3);
                int ldo = Math.max(1, cols) + rng.nextInt(0, 3);
                int aOff = Cases.OFFSETS[rng.nextInt(3)];
                int bOff = Cases.OFFSETS[rng.nextInt(3)];
                int outOff = Cases.OFFSETS[rng.nextInt(3)];
                int aCells = rows == 0 ? 0 : (rows - 1) * lda + cols;
                int oCells = rows == 0 ? 0 : (rows - 1) * ldo + cols;
                String what = op + " rows=" + rows + " cols=" + cols + " lda=" + lda + " ldo=" + ldo;
                // float32
                float[] a = Cases.padded(rng, aOff, aCells, aLo, 3);
                float[] bRow = Cases.padded(rng, bOff, cols, bLo, 3);
                float[] bCol = Cases.padded(rng, bOff, rows, bLo, 3);
                float[] expected = KernelTwinAsserts.output32(outOff, oCells);
                float[] actual = KernelTwinAsserts.output32(outOff, oCells);
                ElementwiseReference.binaryRow(op, a, aOff, lda, bRow, bOff, expected, outOff, ldo, rows, cols);
                ElementwiseKernels.binaryRow(op, a, aOff, lda, bRow, bOff, actual, outOff, ldo, rows, cols);
                assertGuards(what + " row", actual, outOff, oCells);
                assertClose(what + " row", expected, actual, 0, actual.length, ulps);
                ElementwiseReference.binaryColumn(op, a, aOff, lda, bCol, bOff, expected, outOff, ldo, rows, cols);
                ElementwiseKernels.binaryColumn(op, a, aOff, lda, bCol, bOff, actual, outOff, ldo, rows, cols);
                assertClose(what + " column", expected, actual, 0, actual.length, ulps);
                // the same row broadcast through the strided form: b has stride 0 along rows
                if (lda == cols && ldo == cols) {
                    float[] strided = KernelTwinAsserts.output32(outOff, oCells);
                    ElementwiseKernels.binaryStrided(op, new int[] {rows, cols}, a, aOff, new int[] {cols, 1}, bRow,
                            bOff, new int[] {0, 1}, strided, outOff);
                    ElementwiseKernels.binaryRow(op, a, aOff, lda, bRow, bOff, actual, outOff, ldo, rows, cols);
                    assertClose(what + " strided row", actual, strided, 0, actual.length, 0);
                }
                // float64
                double[] a64 = Cases.paddedDoubles(rng, aOff, aCells, aLo, 3);
                double[] bRow64 = Cases.paddedDoubles(rng, bOff, cols, bLo, 3);
                double[] bCol64 = Cases.paddedDoubles(rng, bOff, rows, bLo, 3);
                double[] expected64 = KernelTwinAsserts.output64(outOff, oCells);
                double[] actual64 = KernelTwinAsserts.output64(outOff, oCells);
                ElementwiseReference.binaryRow(op, a64, aOff, lda, bRow64, bOff, expected64, outOff, ldo, rows, cols);
                ElementwiseKernels.binaryRow(op, a64, aOff, lda, bRow64, bOff, actual64, outOff, ldo, rows, cols);
                assertGuards(what + " row f64", actual64, outOff, oCells);
                assertClose(what + " row f64", expected64, actual64, 0, actual64.length, ulps);
                ElementwiseReference.binaryColumn(op, a64, aOff, lda, bCol64, bOff, expected64, outOff, ldo, rows,
                        cols);
                ElementwiseKernels.binaryColumn(op, a64, aOff, lda, bCol64, bOff, actual64, outOff, ldo, rows, cols);
                assertClose(what + " column f64", expected64, actual64, 0, actual64.length, ulps);
            }
            for (int trial = 0; trial < 12; trial++) {
                strided(op, rng, max, aLo, bLo, ulps);
            }
        });
    }

    /** A random rank-0..4 broadcast: each operand keeps or drops (stride 0) each dimension. */
    static void strided(Binary op, SplittableRandom rng, int max, double aLo, double bLo, double ulps) {
        int rank = rng.nextInt(0, 5);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = d == rank - 1 ? rng.nextInt(1, max + 1) : rng.nextInt(1, 4);
        }
        int[] aStrides = new int[rank];
        int[] bStrides = new int[rank];
        int aCells = 1;
        int bCells = 1;
        for (int d = rank - 1; d >= 0; d--) {
            boolean aKeeps = rng.nextInt(4) != 0;
            boolean bKeeps = rng.nextInt(3) != 0;
            aStrides[d] = aKeeps ? aCells : 0;
            bStrides[d] = bKeeps ? bCells : 0;
            aCells *= aKeeps ? shape[d] : 1;
            bCells *= bKeeps ? shape[d] : 1;
        }
        int volume = Arrays.stream(shape).reduce(1, (p, q) -> p * q);
        int aOff = Cases.OFFSETS[rng.nextInt(3)];
        int bOff = Cases.OFFSETS[rng.nextInt(3)];
        int outOff = Cases.OFFSETS[rng.nextInt(3)];
        String what = op + " strided shape " + Arrays.toString(shape) + " a " + Arrays.toString(aStrides) + " b "
                + Arrays.toString(bStrides);
        float[] a = Cases.padded(rng, aOff, aCells, aLo, 3);
        float[] b = Cases.padded(rng, bOff, bCells, bLo, 3);
        float[] expected = KernelTwinAsserts.output32(outOff, volume);
        float[] actual = KernelTwinAsserts.output32(outOff, volume);
        ElementwiseReference.binaryStrided(op, shape, a, aOff, aStrides, b, bOff, bStrides, expected, outOff);
        ElementwiseKernels.binaryStrided(op, shape, a, aOff, aStrides, b, bOff, bStrides, actual, outOff);
        assertGuards(what, actual, outOff, volume);
        assertClose(what, expected, actual, 0, actual.length, ulps);
        // the reference's index arithmetic, checked by hand for one element: the last one
        if (volume > 0) {
            int aAt = aOff;
            int bAt = bOff;
            for (int d = 0; d < rank; d++) {
                aAt += (shape[d] - 1) * aStrides[d];
                bAt += (shape[d] - 1) * bStrides[d];
            }
            assertEquals(op.apply(a[aAt], b[bAt]), expected[outOff + volume - 1], what + " last element");
        }
        double[] a64 = Cases.paddedDoubles(rng, aOff, aCells, aLo, 3);
        double[] b64 = Cases.paddedDoubles(rng, bOff, bCells, bLo, 3);
        double[] expected64 = KernelTwinAsserts.output64(outOff, volume);
        double[] actual64 = KernelTwinAsserts.output64(outOff, volume);
        ElementwiseReference.binaryStrided(op, shape, a64, aOff, aStrides, b64, bOff, bStrides, expected64, outOff);
        ElementwiseKernels.binaryStrided(op, shape, a64, aOff, aStrides, b64, bOff, bStrides, actual64, outOff);
        assertGuards(what + " f64", actual64, outOff, volume);
        assertClose(what + " f64", expected64, actual64, 0, actual64.length, ulps);
    }

    @Test
    void axpyAndFillMatchReference() {
        for (long seed : Cases.seeds(2).toArray()) {
            SplittableRandom rng = new SplittableRandom(seed);
            for (int n : Cases.tailLengths(Simd.F32_LANES)) {
                int off = Cases.OFFSETS[n % 3];
                float[] x = Cases.padded(rng, off, n, -2, 2);
                float[] y = Cases.padded(rng, 1, n, -2, 2);
                float[] yRef = y.clone();
                ElementwiseKernels.axpy(x, off, y, 1, n, 0.3f);
                ElementwiseReference.axpy(x, off, yRef, 1, n, 0.3f);
                assertClose("axpy n=" + n + " seed=" + seed, yRef, y, 0, y.length, 0);
                double[] x64 = Cases.paddedDoubles(rng, off, n, -2, 2);
                double[] y64 = Cases.paddedDoubles(rng, 1, n, -2, 2);
                double[] yRef64 = y64.clone();
                ElementwiseKernels.axpy(x64, off, y64, 1, n, 0.3);
                ElementwiseReference.axpy(x64, off, yRef64, 1, n, 0.3);
                assertClose("axpy f64 n=" + n + " seed=" + seed, yRef64, y64, 0, y64.length, 0);
                float[] filled = KernelTwinAsserts.output32(off, n);
                ElementwiseKernels.fill(filled, off, n, 2.5f);
                assertGuards("fill n=" + n, filled, off, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(2.5f, filled[off + i]);
                }
                double[] filled64 = KernelTwinAsserts.output64(off, n);
                ElementwiseKernels.fill(filled64, off, n, -1.25);
                assertGuards("fill f64 n=" + n, filled64, off, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(-1.25, filled64[off + i]);
                }
            }
        }
    }

    /** Ulps between two floats of the same sign; any NaN pair is 0; a sign, zero-sign or NaN mismatch is huge. */
    private static long ulpsApart(float expected, float actual) {
        if (Float.isNaN(expected) || Float.isNaN(actual)) {
            return Float.isNaN(expected) && Float.isNaN(actual) ? 0 : Long.MAX_VALUE;
        }
        int e = Float.floatToRawIntBits(expected);
        int a = Float.floatToRawIntBits(actual);
        return (e < 0) != (a < 0) ? (e == a ? 0 : Long.MAX_VALUE) : Math.abs((long) e - a);
    }

    private static long ulpsApart(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual) ? 0 : Long.MAX_VALUE;
        }
        long e = Double.doubleToRawLongBits(expected);
        long a = Double.doubleToRawLongBits(actual);
        return (e < 0) != (a < 0) ? (e == a ? 0 : Long.MAX_VALUE) : Math.abs(e - a);
    }

    /**
     * exp, log, tanh and expm1 (through elu with alpha 1 on x <= 0) stay within 2 ulp of {@code Math}
     * over their whole ranges: log-uniform magnitudes from subnormal to overflow, plus ±0, ±inf, NaN,
     * negative logs, and the overflow and underflow thresholds.
     */
    @Test
    void transcendentalsStayWithin2UlpOfMathOverTheirWholeRange() {
        SplittableRandom rng = new SplittableRandom(Cases.BASE_SEED);
        int n = 20000;
        float[] specials = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, 1f,
            Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 88.72283f, 88.7228394f, -87.33655f, -103.97208f,
            -103.2789f, 89f, -104f, 1e-30f, -1e-30f, 0.70710677f, 1.4142135f, 44.4f, 9.1f, -20f};
        double[] specials64 = {0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1, 1,
            Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 709.782712893384, 709.7827128933841,
            -708.3964185322641, -745.1332191019411, -745.1332191019412, 710, -746, 1e-300, -1e-300, 355, 19.1, -40};
        for (int function = 0; function < 4; function++) {
            String name = new String[] {"exp", "log", "tanh", "expm1"}[function];
            float[] x = new float[n];
            double[] x64 = new double[n];
            for (int i = 0; i < n; i++) {
                double magnitude = Math.pow(10, rng.nextDouble(-44, 38.5));
                double magnitude64 = Math.pow(10, rng.nextDouble(-320, 308));
                boolean negative = function != 1 && rng.nextBoolean() || function == 3;
                x[i] = (float) (negative ? -magnitude : magnitude);
                x64[i] = negative ? -magnitude64 : magnitude64;
            }
            System.arraycopy(specials, 0, x, 0, specials.length);
            System.arraycopy(specials64, 0, x64, 0, specials64.length);
            float[] out = new float[n];
            double[] out64 = new double[n];
            switch (function) {
                case 0 -> {
                    ElementwiseKernels.exp(x, 0, out, 0, n);
                    ElementwiseKernels.exp(x64, 0, out64, 0, n);
                }
                case 1 -> {
                    ElementwiseKernels.log(x, 0, out, 0, n);
                    ElementwiseKernels.log(x64, 0, out64, 0, n);
                }
                case 2 -> {
                    ElementwiseKernels.tanh(x, 0, out, 0, n);
                    ElementwiseKernels.tanh(x64, 0, out64, 0, n);
                }
                default -> {
                    ElementwiseKernels.elu(x, 0, out, 0, n, 1f);
                    ElementwiseKernels.elu(x64, 0, out64, 0, n, 1.0);
                }
            }
            for (int i = 0; i < n; i++) {
                double v = x[i];
                double expected = switch (function) {
                    case 0 -> Math.exp(v);
                    case 1 -> Math.log(v);
                    case 2 -> Math.tanh(v);
                    default -> v > 0 ? v : Math.expm1(v);
                };
                assertTrue(ulpsApart((float) expected, out[i]) <= 2, name + " float32 at x=" + x[i] + ": expected "
                        + (float) expected + " but was " + out[i]);
                double v64 = x64[i];
                double expected64 = switch (function) {
                    case 0 -> Math.exp(v64);
                    case 1 -> Math.log(v64);
                    case 2 -> Math.tanh(v64);
                    default -> v64 > 0 ? v64 : Math.expm1(v64);
                };
                assertTrue(ulpsApart(expected64, out64[i]) <= 2, name + " float64 at x=" + x64[i] + ": expected "
                        + expected64 + " but was " + out64[i]);
            }
        }
    }

    /** Values the maps must get exactly right, independent of either twin. */
    @Test
    void mapsAreExactAtKnownPoints() {
        float[] x = {-1000f, -2f, -0f, 0f, 3f, 1000f};
        float[] out = new float[x.length];
        ElementwiseKernels.softplus(x, 0, out, 0, x.length);
        assertEquals(0f, out[0]);
        assertEquals(1000f, out[5]);
        assertEquals((float) Math.log(2), out[2]);
        ElementwiseKernels.sigmoid(x, 0, out, 0, x.length);
        assertEquals(0f, out[0]);
        assertEquals(1f, out[5]);
        assertEquals(0.5f, out[3]);
        ElementwiseKernels.relu(x, 0, out, 0, x.length);
        assertEquals(List.of(0f, 0f, 0f, 0f, 3f, 1000f), boxed(out));
        ElementwiseKernels.clamp(x, 0, out, 0, x.length, -1f, 1f);
        assertEquals(List.of(-1f, -1f, -0f, 0f, 1f, 1f), boxed(out));
        float[] grad = {1f, 1f, 1f, 1f, 1f, 1f};
        ElementwiseKernels.reluBackward(x, 0, grad, 0, out, 0, x.length);
        assertEquals(List.of(0f, 0f, 0f, 0f, 1f, 1f), boxed(out), "relu'(0) = 0");
        float[] bounds = {-1f, 1f, 1.5f};
        float[] boundsOut = new float[3];
        ElementwiseKernels.clampBackward(bounds, 0, grad, 0, boundsOut, 0, 3, -1f, 1f);
        assertEquals(List.of(1f, 1f, 0f), boxed(boundsOut), "clamp passes the gradient at its bounds");
    }

    private static List<Float> boxed(float[] values) {
        List<Float> list = new ArrayList<>();
        for (float v : values) {
            list.add(v);
        }
        return list;
    }

    /** FAULTS.md 15: NaN propagates through max, min, relu, leaky relu and clamp in both twins, also in tail lanes. */
    @Test
    void fault15_nanPropagatesThroughMaxMinReluInTailLanes() {
        for (int n : new int[] {1, Simd.F32_LANES - 1, Simd.F32_LANES + 1, 2 * Simd.F32_LANES + 3, 17, 33, 65}) {
            if (n < 1) {
                continue;
            }
            SplittableRandom rng = new SplittableRandom(n);
            float[] a = Cases.uniformFloats(rng, n, -2, 2);
            float[] b = Cases.uniformFloats(rng, n, -2, 2);
            int[] nanAt = {n - 1, n / 2, 0}; // the last cell lies in the masked tail whenever n is not a multiple of lanes
            for (int at : nanAt) {
                a[at] = Float.NaN;
            }
            double[] a64 = new double[n];
            double[] b64 = new double[n];
            for (int i = 0; i < n; i++) {
                a64[i] = a[i];
                b64[i] = b[i];
            }
            List<float[]> outs32 = new ArrayList<>();
            List<double[]> outs64 = new ArrayList<>();
            for (boolean simd : new boolean[] {true, false}) {
                float[] max = new float[n];
                float[] maxSwapped = new float[n];
                float[] min = new float[n];
                float[] relu = new float[n];
                float[] leaky = new float[n];
                float[] clamp = new float[n];
                double[] max64 = new double[n];
                double[] relu64 = new double[n];
                if (simd) {
                    ElementwiseKernels.max(a, 0, b, 0, max, 0, n);
                    ElementwiseKernels.max(b, 0, a, 0, maxSwapped, 0, n);
                    ElementwiseKernels.min(a, 0, b, 0, min, 0, n);
                    ElementwiseKernels.relu(a, 0, relu, 0, n);
                    ElementwiseKernels.leakyRelu(a, 0, leaky, 0, n, 0.1f);
                    ElementwiseKernels.clamp(a, 0, clamp, 0, n, -1f, 1f);
                    ElementwiseKernels.max(a64, 0, b64, 0, max64, 0, n);
                    ElementwiseKernels.relu(a64, 0, relu64, 0, n);
                } else {
                    ElementwiseReference.max(a, 0, b, 0, max, 0, n);
                    ElementwiseReference.max(b, 0, a, 0, maxSwapped, 0, n);
                    ElementwiseReference.min(a, 0, b, 0, min, 0, n);
                    ElementwiseReference.relu(a, 0, relu, 0, n);
                    ElementwiseReference.leakyRelu(a, 0, leaky, 0, n, 0.1f);
                    ElementwiseReference.clamp(a, 0, clamp, 0, n, -1f, 1f);
                    ElementwiseReference.max(a64, 0, b64, 0, max64, 0, n);
                    ElementwiseReference.relu(a64, 0, relu64, 0, n);
                }
                for (float[] out : List.of(max, maxSwapped, min, relu, leaky, clamp)) {
                    for (int at : nanAt) {
                        assertTrue(Float.isNaN(out[at]), (simd ? "SIMD" : "reference") + " n=" + n + " lost NaN at "
                                + at);
                    }
                    outs32.add(out);
                }
                for (double[] out : List.of(max64, relu64)) {
                    for (int at : nanAt) {
                        assertTrue(Double.isNaN(out[at]), (simd ? "SIMD" : "reference") + " f64 n=" + n
                                + " lost NaN at " + at);
                    }
                    outs64.add(out);
                }
            }
            for (int k = 0; k < 6; k++) {
                assertClose("fault15 n=" + n + " map " + k, outs32.get(k + 6), outs32.get(k), 0, n, 0);
            }
            for (int k = 0; k < 2; k++) {
                assertClose("fault15 f64 n=" + n + " map " + k, outs64.get(k + 2), outs64.get(k), 0, n, 0);
            }
        }
    }

    /**
     * FAULTS.md 17 for maps: long enough to be split over the pool, every map gives the same bits on
     * 1 and 3 threads (3 threads on 2 cores also exercises an uneven share of chunks), and still matches
     * its reference.
     */
    @Test
    void fault17_longMapsAreBitIdenticalForAnyThreadCount() {
        int n = ElementwiseKernels.PARALLEL_MIN + 2 * ElementwiseKernels.CHUNK / 3 + 5;
        SplittableRandom rng = new SplittableRandom(1717);
        for (Unary c : UNARY) {
            float[] x = Cases.uniformFloats(rng, n, c.lo(), c.hi());
            float[] expected = new float[n];
            c.ref32().run(x, 0, expected, 0, n);
            float[] first = null;
            for (int threads = 1; threads <= 3; threads += 2) {
                try (Parallel.Scope scope = Parallel.withThreads(threads)) {
                    float[] out = new float[n];
                    c.simd32().run(x, 0, out, 0, n);
                    assertClose(c.name() + " long, " + threads + " threads", expected, out, 0, n, c.ulps32());
                    if (first == null) {
                        first = out;
                    } else {
                        assertClose(c.name() + " 1 vs " + threads + " threads", first, out, 0, n, 0);
                    }
                }
            }
        }
        for (Zip c : ZIP) {
            double[] a = Cases.uniform(rng, n, c.aLo(), c.aHi());
            double[] b = Cases.uniform(rng, n, c.bLo(), c.bHi());
            double[] expected = new double[n];
            c.ref64().run(a, 0, b, 0, expected, 0, n);
            double[] first = null;
            for (int threads = 1; threads <= 3; threads += 2) {
                try (Parallel.Scope scope = Parallel.withThreads(threads)) {
                    double[] out = new double[n];
                    c.simd64().run(a, 0, b, 0, out, 0, n);
                    assertClose(c.name() + " long f64, " + threads + " threads", expected, out, 0, n, c.ulps64());
                    if (first == null) {
                        first = out;
                    } else {
                        assertClose(c.name() + " f64 1 vs " + threads + " threads", first, out, 0, n, 0);
                    }
                }
            }
        }
    }

    /** FAULTS.md 16: lengths 0, 1, lanes-1, lanes+1, 17, 33, 65 give the reference result; length 0 does nothing. */
    @Test
    void fault16_tailLengthsMatchReferenceAndZeroLengthIsANoOp() {
        SplittableRandom rng = new SplittableRandom(16);
        for (int n : new int[] {0, 1, Simd.F32_LANES - 1, Simd.F32_LANES + 1, 17, 33, 65}) {
            for (Unary c : UNARY) {
                unary32(c, rng, n, 1, 0);
            }
            for (Zip c : ZIP) {
                zip32(c, rng, n, 0, 7, 1);
            }
        }
        for (int n : new int[] {0, 1, Simd.F64_LANES - 1, Simd.F64_LANES + 1, 17, 33, 65}) {
            for (Unary c : UNARY) {
                unary64(c, rng, n, 7, 1);
            }
            for (Zip c : ZIP) {
                zip64(c, rng, n, 1, 0, 7);
            }
        }
        // n = 0 with an offset at the very end of an empty array: nothing to read, nothing to write, no error
        ElementwiseKernels.exp(new float[0], 0, new float[0], 0, 0);
        ElementwiseKernels.add(new double[2], 2, new double[0], 0, new double[1], 1, 0);
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        float[] x = {1, 2, 3, 4};
        float[] out = {9, 9, 9, 9};
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseKernels.exp(x, 0, out, 0, -1));
        assertEquals("exp: n is negative; got n = -1, expected n >= 0", negative.getMessage());
        IllegalArgumentException shortInput = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseKernels.relu(x, 1, out, 0, 4));
        assertEquals("relu: x is too short; got x.length = 4 with xOff = 1, expected at least 5 cells (4 from the"
                + " offset)", shortInput.getMessage());
        IllegalArgumentException shortOutput = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseReference.add(x, 0, x, 0, new float[3], 0, 4));
        assertTrue(shortOutput.getMessage().startsWith("add: out is too short"), shortOutput.getMessage());
        IllegalArgumentException negativeOffset = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseKernels.tanhBackward(x, -1, x, 0, out, 0, 2));
        assertTrue(negativeOffset.getMessage().startsWith("tanh_backward: y offset is negative"),
                negativeOffset.getMessage());
        float[] shared = {1, 2, 3, 4, 5};
        float[] sharedBefore = shared.clone();
        IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseKernels.exp(shared, 0, shared, 1, 4));
        assertTrue(overlap.getMessage().startsWith("exp: out aliases x"), overlap.getMessage());
        assertUnchanged("rejected exp", sharedBefore, shared);
        assertThrows(IllegalArgumentException.class, () -> ElementwiseReference.exp(shared, 0, shared, 1, 4));
        IllegalArgumentException rowAlias = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseKernels.binaryRow(Binary.ADD, shared, 0, 2, shared, 0, shared, 0, 2, 2, 2));
        assertTrue(rowAlias.getMessage().startsWith("add: out aliases b"), rowAlias.getMessage());
        assertUnchanged("rejected row add", sharedBefore, shared);
        IllegalArgumentException clamp = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseKernels.clamp(x, 0, out, 0, 4, 1f, -1f));
        assertTrue(clamp.getMessage().startsWith("clamp: bounds are out of order"), clamp.getMessage());
        IllegalArgumentException strides = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseKernels.binaryStrided(Binary.MUL, new int[] {2, 3}, x, 0, new int[] {3, 1}, x, 0,
                        new int[] {0, 1}, new float[6], 0));
        assertTrue(strides.getMessage().startsWith("mul: a is too short"), strides.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseReference.binaryStrided(Binary.MUL, new int[] {2, 3}, x, 0, new int[] {1}, x, 0,
                        new int[] {0, 1}, new float[6], 0));
        assertTrue(rank.getMessage().startsWith("mul: strides do not match the rank"), rank.getMessage());
        IllegalArgumentException axpy = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseKernels.axpy(x, 0, new float[2], 0, 3, 1f));
        assertTrue(axpy.getMessage().startsWith("axpy: y is too short"), axpy.getMessage());
        for (float v : out) {
            assertEquals(9f, v, "a rejected call wrote to out");
        }
    }

    /**
     * The exp-, expm1-, tanh-, log- and log1p-based kernels give the same bits in a JVM that only interprets (-Xint: the Vector API's
     * Java fallback) as in this warmed-up one (C2 intrinsics). VectorOperators.EXP failed this: about
     * 1% of its results differed in the last bit, so early training steps were not reproducible.
     */
    @Test
    void expBasedKernelsGiveTheSameBitsInterpretedAndCompiled() throws Exception {
        for (int warm = 0; warm < 3000; warm++) {
            Fingerprint.of();
        }
        String compiled = Fingerprint.of();
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(javaCommand, "-Xint", "--add-modules=jdk.incubator.vector",
                "-Dvecgrad.vectorBits=" + Simd.BITS, "-cp", System.getProperty("java.class.path"),
                Fingerprint.class.getName()).redirectErrorStream(false).start();
        child.getOutputStream().close();
        byte[] output = child.getInputStream().readAllBytes();
        assertTrue(child.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "interpreted child timed out");
        assertEquals(0, child.exitValue(), new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        String interpreted = new String(output, StandardCharsets.UTF_8).trim();
        String[] a = compiled.split(" ");
        String[] b = interpreted.split(" ");
        assertEquals(a.length, b.length, "fingerprint lengths");
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], "first differing bits at fingerprint position " + i + " of " + a.length);
        }
    }

    /** Bits of exp-based kernels on a fixed input; the main method prints them for the interpreted child JVM. */
    static final class Fingerprint {
        public static void main(String[] args) {
            System.out.println(of());
        }

        static String of() {
            int n = 1021; // enough elements that a 1%-of-lanes difference shows
            SplittableRandom rng = new SplittableRandom(123);
            float[] x = Cases.uniformFloats(rng, n, -30, 30);
            float[] g = Cases.uniformFloats(rng, n, -1, 1);
            double[] x64 = Cases.uniform(rng, n, -30, 30);
            StringBuilder bits = new StringBuilder();
            float[] out = new float[n];
            double[] out64 = new double[n];
            ElementwiseKernels.exp(x, 0, out, 0, n);
            append(bits, out);
            ElementwiseKernels.sigmoid(x, 0, out, 0, n);
            append(bits, out);
            ElementwiseKernels.tanh(x, 0, out, 0, n);
            append(bits, out);
            ElementwiseKernels.elu(x, 0, out, 0, n, 1f);
            append(bits, out);
            ElementwiseKernels.softplus(x, 0, out, 0, n);
            append(bits, out);
            ElementwiseKernels.abs(x, 0, out, 0, n);
            ElementwiseKernels.log(out, 0, out, 0, n);
            append(bits, out);
            ElementwiseKernels.eluBackward(x, 0, g, 0, out, 0, n, 1f);
            append(bits, out);
            ElementwiseKernels.softplusBackward(x, 0, g, 0, out, 0, n);
            append(bits, out);
            SoftmaxKernels.softmax(x, 0, n, out, 0, n, 1, n);
            append(bits, out);
            SoftmaxKernels.logSoftmax(x, 0, n, out, 0, n, 1, n);
            append(bits, out);
            SoftmaxKernels.logSoftmaxBackward(out, 0, n, g, 0, n, out, 0, n, 1, n);
            append(bits, out);
            ElementwiseKernels.exp(x64, 0, out64, 0, n);
            for (double v : out64) {
                bits.append(Long.toHexString(Double.doubleToRawLongBits(v))).append(' ');
            }
            ElementwiseKernels.sigmoid(x64, 0, out64, 0, n);
            for (double v : out64) {
                bits.append(Long.toHexString(Double.doubleToRawLongBits(v))).append(' ');
            }
            ElementwiseKernels.tanh(x64, 0, out64, 0, n);
            for (double v : out64) {
                bits.append(Long.toHexString(Double.doubleToRawLongBits(v))).append(' ');
            }
            ElementwiseKernels.softplus(x64, 0, out64, 0, n);
            for (double v : out64) {
                bits.append(Long.toHexString(Double.doubleToRawLongBits(v))).append(' ');
            }
            return bits.toString().trim();
        }

        private static void append(StringBuilder bits, float[] values) {
            for (float v : values) {
                bits.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
            }
        }
    }
}

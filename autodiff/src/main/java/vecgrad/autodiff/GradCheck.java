package vecgrad.autodiff;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Numerical verification of gradients: compares what the tape computes for a function of tensors with central
 * finite differences in float64, the way PyTorch's {@code gradcheck} and JAX's {@code check_grads} do. Use it
 * on your own ops and on whole models.
 *
 * <p>What is checked, in order (each failure throws a {@link Failure} naming the output's op, the check, the
 * worst element, the analytic and numeric values and the relative error):
 * <ol>
 *   <li>every gradient has its input's shape and dtype;</li>
 *   <li>reentrancy: a second forward + backward gives bit-identical gradients;</li>
 *   <li>a zero upstream gradient gives exactly zero gradients;</li>
 *   <li>projected mode: for {@code directions} random directions u and a random cotangent v,
 *       {@code Σ <∂(v·f)/∂xᵢ, uᵢ>} against {@code (v·f(x + εu) − v·f(x − εu)) / 2ε};</li>
 *   <li>when the checked inputs have at most {@code fullJacobianMaxNumel} elements: every input element is
 *       perturbed; with a small output too the full Jacobian is compared entry by entry (analytic rows by one
 *       backward per output element), otherwise the vector-Jacobian product per element;</li>
 *   <li>optionally ({@code compareFloat32}) the same function in float32 against float64.</li>
 * </ol>
 * An element passes when {@code |analytic − numeric| <= atol + rtol·max(|analytic|, |numeric|)}.
 *
 * <p>Inputs that {@link Tensor#requiresGrad() require a gradient} are checked and the others are held
 * constant; when none requires one, all are checked. Float32 inputs are refused unless
 * {@link Options#allowFloat32()}: finite differences in float32 cannot resolve gradients (FAULTS 23).
 *
 * {@snippet :
 * Tensor x = Tensor.uniform(new SplittableRandom(1), -1, 1, DType.F64, 4, 3);
 * Tensor w = Tensor.uniform(new SplittableRandom(2), -1, 1, DType.F64, 3, 2);
 * GradCheck.check(in -> in[0].matmul(in[1]).tanh().sum(), x, w); // throws GradCheck.Failure when wrong
 * }
 */
public final class GradCheck {
    private GradCheck() {}

    /**
     * Step and comparison bounds. {@link #DEFAULT} is for users ({@code eps 1e-6, rtol 1e-3, atol 1e-5}, as
     * PyTorch); {@link #STRICT} is what vecgrad's own suite holds every op to ({@code rtol 1e-6, atol 1e-9}).
     */
    public record Tolerance(double eps, double rtol, double atol) {
        public static final Tolerance DEFAULT = new Tolerance(1e-6, 1e-3, 1e-5);
        public static final Tolerance STRICT = new Tolerance(1e-6, 1e-6, 1e-9);
        /** Alias of {@link #STRICT}: the float64 bounds of STYLE.md §9. */
        public static final Tolerance F64 = STRICT;

        public Tolerance {
            if (!(eps > 0) || !(rtol >= 0) || !(atol >= 0)) {
                throw Check.fail("gradcheck", "invalid tolerance", "eps " + eps + ", rtol " + rtol + ", atol " + atol,
                        "eps > 0, rtol >= 0, atol >= 0");
            }
        }

        boolean accepts(double analytic, double numeric) {
            return Math.abs(analytic - numeric) <= atol + rtol * Math.max(Math.abs(analytic), Math.abs(numeric));
        }
    }

    /**
     * How to check. Change one field with a {@code with...} method.
     *
     * @param tolerance            finite-difference step and comparison bounds
     * @param seed                 seed of the random cotangent and directions
     * @param directions           random directions of the projected check
     * @param fullJacobianMaxNumel perturb every element when the checked inputs have at most this many
     * @param allowFloat32         accept float32 inputs (they are still checked in float64 copies)
     * @param compareFloat32       also run the function in float32 and compare with float64
     * @param float32Scale         multiplies the float32 bounds (rtol 1e-4, atol 1e-5 of FORMAT.md §6), e.g.
     *                             by a reduction length
     * @param scaleProjectedAtol   in the projected check, allow {@code atol·‖u‖₁·‖v‖₁} instead of {@code atol}:
     *                             the bound on {@code vᵀEu} when every Jacobian entry may be off by atol (the
     *                             analogue of PyTorch's fast-mode adjustment, with signed directions)
     */
    public record Options(Tolerance tolerance, long seed, int directions, int fullJacobianMaxNumel,
                          boolean allowFloat32, boolean compareFloat32, double float32Scale,
                          boolean scaleProjectedAtol) {
        public Options {
            if (tolerance == null || directions < 0 || fullJacobianMaxNumel < 0 || !(float32Scale > 0)) {
                throw Check.fail("gradcheck", "invalid options", "tolerance " + tolerance + ", directions " + directions
                        + ", fullJacobianMaxNumel " + fullJacobianMaxNumel + ", float32Scale " + float32Scale,
                        "a tolerance, directions >= 0, fullJacobianMaxNumel >= 0, float32Scale > 0");
            }
        }

        /**
         * User defaults: {@link Tolerance#DEFAULT}, seed 0, 3 directions with the scaled projected atol, every
         * element checked up to 64 input elements.
         */
        public static Options defaults() {
            return new Options(Tolerance.DEFAULT, 0, 3, 64, false, false, 1, true);
        }

        /** The suite's settings: {@link Tolerance#STRICT} with the given seed, unscaled atol (STYLE.md §9). */
        public static Options strict(long seed) {
            return new Options(Tolerance.STRICT, seed, 3, 64, false, false, 1, false);
        }

        public Options withScaledProjectedAtol(boolean value) {
            return new Options(tolerance, seed, directions, fullJacobianMaxNumel, allowFloat32, compareFloat32,
                    float32Scale, value);
        }

        public Options withTolerance(Tolerance value) {
            return new Options(value, seed, directions, fullJacobianMaxNumel, allowFloat32, compareFloat32,
                    float32Scale, scaleProjectedAtol);
        }

        public Options withSeed(long value) {
            return new Options(tolerance, value, directions, fullJacobianMaxNumel, allowFloat32, compareFloat32,
                    float32Scale, scaleProjectedAtol);
        }

        public Options withDirections(int value) {
            return new Options(tolerance, seed, value, fullJacobianMaxNumel, allowFloat32, compareFloat32,
                    float32Scale, scaleProjectedAtol);
        }

        public Options withFullJacobianMaxNumel(int value) {
            return new Options(tolerance, seed, directions, value, allowFloat32, compareFloat32,
                    float32Scale, scaleProjectedAtol);
        }

        public Options withAllowFloat32(boolean value) {
            return new Options(tolerance, seed, directions, fullJacobianMaxNumel, value, compareFloat32,
                    float32Scale, scaleProjectedAtol);
        }

        public Options withCompareFloat32(boolean value, double scale) {
            return new Options(tolerance, seed, directions, fullJacobianMaxNumel, allowFloat32, value,
                    scale, scaleProjectedAtol);
        }
    }

    /**
     * What a passing check covered.
     *
     * @param op           the op that produced the function's output (null when the output is an input)
     * @param directions   projected directions compared
     * @param elements     input elements perturbed one by one (0 when the inputs were too large)
     * @param fullJacobian whether the full Jacobian was compared entry by entry
     * @param worstRatio   largest {@code |analytic − numeric| / allowed} seen (below 1 when passing)
     */
    public record Report(String op, int directions, int elements, boolean fullJacobian, double worstRatio) {}

    /** A gradient that disagrees with finite differences (or breaks a structural property). */
    public static final class Failure extends AssertionError {
        public Failure(String message) {
            super(message);
        }
    }

    /** Checks {@code f} at {@code inputs} with {@link Options#defaults()}. */
    public static Report check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(f, Options.defaults(), inputs);
    }

    /** STYLE.md §9 entry point: the strict check with {@code tolerance} and {@code seed}. */
    public static Report assertVjpMatches(Function<Tensor[], Tensor> f, long seed, Tolerance tolerance, Tensor... inputs) {
        return check(f, Options.strict(seed).withTolerance(tolerance), inputs);
    }

    /** Checks {@code f} at {@code inputs}; throws {@link Failure} on the first disagreement. */
    public static Report check(Function<Tensor[], Tensor> f, Options options, Tensor... inputs) {
        boolean[] checked = checkedInputs(inputs, options);
        if (Tape.current() != null) {
            throw new IllegalStateException("gradcheck: a tape is already open on this thread; run the check outside it");
        }
        Tensor[] x = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            x[i] = inputs[i].to(DType.F64).copy();
        }
        SplittableRandom rng = new SplittableRandom(options.seed());
        Tensor probe = evaluate(f, x);
        Tensor v = Tensor.uniform(rng, -1, 1, DType.F64, probe.shapeRef());
        Run first = run(f, x, checked, v);
        String op = first.op;
        Tensor[] g = first.grads;
        for (int i = 0; i < x.length; i++) {
            if (checked[i] && (!Arrays.equals(g[i].shapeRef(), x[i].shapeRef()) || g[i].dtype() != DType.F64)) {
                throw new Failure(where(op) + "gradient of input " + i + " has shape " + g[i].shapeString() + " "
                        + g[i].dtype() + ", expected " + x[i].shapeString() + " float64");
            }
        }
        Run second = run(f, x, checked, v);
        for (int i = 0; i < x.length; i++) {
            if (checked[i] && !Arrays.equals(g[i].toDoubleArray(), second.grads[i].toDoubleArray())) {
                throw new Failure(where(op) + "not reentrant: a second backward gave different gradients for input " + i);
            }
        }
        Run zero = run(f, x, checked, Tensor.zeros(DType.F64, v.shapeRef()));
        for (int i = 0; i < x.length; i++) {
            if (!checked[i]) {
                continue;
            }
            double[] z = zero.grads[i].toDoubleArray();
            for (int j = 0; j < z.length; j++) {
                if (z[j] != 0) {
                    throw new Failure(where(op) + "zero upstream gradient gave a non-zero gradient for input " + i
                            + " at " + index(x[i].shapeRef(), j) + ": " + z[j]);
                }
            }
        }
        Tolerance tol = options.tolerance();
        double worst = 0;
        for (int direction = 0; direction < options.directions(); direction++) {
            Tensor[] u = new Tensor[x.length];
            double analytic = 0;
            for (int i = 0; i < x.length; i++) {
                u[i] = checked[i] ? Tensor.uniform(rng, -1, 1, DType.F64, x[i].shapeRef()) : null;
                analytic += checked[i] ? dot(g[i], u[i]) : 0;
            }
            double numeric = (project(f, v, shifted(x, u, tol.eps())) - project(f, v, shifted(x, u, -tol.eps())))
                    / (2 * tol.eps());
            Tolerance projected = tol;
            if (options.scaleProjectedAtol()) {
                double norms = norm1(v);
                double directionNorm = 0;
                for (Tensor ui : u) {
                    directionNorm += ui == null ? 0 : norm1(ui);
                }
                projected = new Tolerance(tol.eps(), tol.rtol(), tol.atol() * norms * directionNorm);
            }
            worst = Math.max(worst, ratio(projected, analytic, numeric));
            if (!projected.accepts(analytic, numeric)) { // the negated form also fails on NaN
                throw new Failure(where(op) + "projected check, direction " + direction + " (seed " + options.seed()
                        + "): analytic " + analytic + ", numeric " + numeric + ", |diff| " + Math.abs(analytic - numeric)
                        + ", relative error " + relative(analytic, numeric) + " > allowed (eps " + tol.eps() + ", rtol "
                        + tol.rtol() + ", atol " + projected.atol() + ")");
            }
        }
        int total = 0;
        for (int i = 0; i < x.length; i++) {
            total += checked[i] ? x[i].numel() : 0;
        }
        boolean perElement = total <= options.fullJacobianMaxNumel();
        boolean full = perElement && v.numel() <= options.fullJacobianMaxNumel();
        if (perElement) {
            worst = Math.max(worst, elementwise(f, x, checked, v, g, full, op, options));
        }
        if (options.compareFloat32()) {
            compareFloat32(f, x, checked, v, first, op, options);
        }
        return new Report(op, options.directions(), perElement ? total : 0, full, worst);
    }

    private static boolean[] checkedInputs(Tensor[] inputs, Options options) {
        if (inputs.length == 0) {
            throw Check.fail("gradcheck", "no inputs", "0 tensors", "at least one input tensor");
        }
        boolean any = false;
        for (Tensor input : inputs) {
            any |= input.requiresGrad();
        }
        boolean[] checked = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            checked[i] = !any || inputs[i].requiresGrad();
            if (inputs[i].dtype() == DType.F32 && !options.allowFloat32()) {
                throw Check.fail("gradcheck", "input " + i + " is float32", "input " + i + " float32 "
                        + inputs[i].shapeString(), "float64 inputs (finite differences in float32 cannot resolve "
                        + "gradients; convert with to(DType.F64), or set Options.withAllowFloat32(true))");
            }
        }
        return checked;
    }

    private record Run(String op, Tensor out, Tensor[] grads) {}

    /** One forward and backward on fresh leaves; gradients of unchecked inputs are null. */
    private static Run run(Function<Tensor[], Tensor> f, Tensor[] x, boolean[] checked, Tensor seed) {
        Tensor[] leaves = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            leaves[i] = x[i].copy().requiresGrad(checked[i]);
        }
        try (Tape tape = Tape.begin()) {
            Tensor out = f.apply(leaves);
            if (out.dtype() != seed.dtype()) {
                seed = seed.to(out.dtype());
            }
            Tensor[] grads = new Tensor[x.length];
            int count = 0;
            for (boolean c : checked) {
                count += c ? 1 : 0;
            }
            Tensor[] wrt = new Tensor[count];
            for (int i = 0, j = 0; i < x.length; i++) {
                if (checked[i]) {
                    wrt[j++] = leaves[i];
                }
            }
            Tensor[] found = out.requiresGrad() ? Tape.gradients(out, seed, wrt) : zerosLike(wrt);
            for (int i = 0, j = 0; i < x.length; i++) {
                if (checked[i]) {
                    grads[i] = found[j++];
                }
            }
            return new Run(out.opName(), out.copy(), grads);
        }
    }

    private static Tensor[] zerosLike(Tensor[] tensors) {
        Tensor[] zeros = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            zeros[i] = Tensor.zeros(tensors[i].dtype(), tensors[i].shapeRef());
        }
        return zeros;
    }

    private static Tensor evaluate(Function<Tensor[], Tensor> f, Tensor[] x) {
        try (NoGrad off = NoGrad.enter()) {
            Tensor[] copies = new Tensor[x.length];
            for (int i = 0; i < x.length; i++) {
                copies[i] = x[i].copy();
            }
            return f.apply(copies);
        }
    }

    /** {@code <f(x), v>} in float64. */
    private static double project(Function<Tensor[], Tensor> f, Tensor v, Tensor[] x) {
        return dot(evaluate(f, x).to(DType.F64), v);
    }

    private static Tensor[] shifted(Tensor[] x, Tensor[] u, double step) {
        Tensor[] out = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = u[i] == null ? x[i] : x[i].copy().axpyInPlace(step, u[i]);
        }
        return out;
    }

    private static double norm1(Tensor t) {
        double sum = 0;
        for (double value : t.readDoubles()) {
            sum += Math.abs(value);
        }
        return sum;
    }

    private static double dot(Tensor a, Tensor b) {
        double[] x = a.readDoubles();
        double[] y = b.readDoubles();
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }

    /** Perturbs each checked input element; compares full Jacobian entries or the per-element VJP. */
    private static double elementwise(Function<Tensor[], Tensor> f, Tensor[] x, boolean[] checked, Tensor v,
                                      Tensor[] g, boolean full, String op, Options options) {
        Tolerance tol = options.tolerance();
        int outNumel = v.numel();
        double[][][] analyticRows = null; // [output element][input][element]
        if (full) {
            analyticRows = new double[outNumel][][];
            for (int o = 0; o < outNumel; o++) {
                double[] oneHot = new double[outNumel];
                oneHot[o] = 1;
                Run row = run(f, x, checked, Tensor.of(oneHot, v.shapeRef()));
                analyticRows[o] = new double[x.length][];
                for (int i = 0; i < x.length; i++) {
                    analyticRows[o][i] = checked[i] ? row.grads[i].toDoubleArray() : null;
                }
            }
        }
        double worst = 0;
        double worstFailure = -1;
        int failures = 0;
        String message = null; // the worst failing element, reported after every element was compared
        double[] vs = v.readDoubles();
        for (int i = 0; i < x.length; i++) {
            if (!checked[i]) {
                continue;
            }
            double[] gi = g[i].readDoubles();
            for (int j = 0; j < x[i].numel(); j++) {
                Tensor[] plus = x.clone();
                Tensor[] minus = x.clone();
                plus[i] = x[i].copy();
                minus[i] = x[i].copy();
                plus[i].doubles()[j] += tol.eps();
                minus[i].doubles()[j] -= tol.eps();
                double[] up = evaluate(f, plus).toDoubleArray();
                double[] down = evaluate(f, minus).toDoubleArray();
                double[] column = new double[outNumel];
                for (int o = 0; o < outNumel; o++) {
                    column[o] = (up[o] - down[o]) / (2 * tol.eps());
                }
                if (full) {
                    for (int o = 0; o < outNumel; o++) {
                        double analytic = analyticRows[o][i][j];
                        double r = ratio(tol, analytic, column[o]);
                        if (!tol.accepts(analytic, column[o]) && !(r <= worstFailure)) {
                            worstFailure = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
                            failures++;
                            message = "Jacobian entry d out" + index(v.shapeRef(), o) + " / d input" + i
                                    + index(x[i].shapeRef(), j) + ": analytic " + analytic + ", numeric " + column[o]
                                    + ", |diff| " + Math.abs(analytic - column[o]) + ", relative error "
                                    + relative(analytic, column[o]);
                        } else if (!tol.accepts(analytic, column[o])) {
                            failures++;
                        }
                        worst = Math.max(worst, r);
                    }
                } else {
                    double numeric = 0;
                    for (int o = 0; o < outNumel; o++) {
                        numeric += vs[o] * column[o];
                    }
                    double r = ratio(tol, gi[j], numeric);
                    if (!tol.accepts(gi[j], numeric)) {
                        failures++;
                        if (!(r <= worstFailure)) {
                            worstFailure = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
                            message = "gradient of input " + i + " at " + index(x[i].shapeRef(), j) + ": analytic "
                                    + gi[j] + ", numeric " + numeric + ", |diff| " + Math.abs(gi[j] - numeric)
                                    + ", relative error " + relative(gi[j], numeric);
                        }
                    }
                    worst = Math.max(worst, r);
                }
            }
        }
        if (message != null) {
            throw new Failure(where(op) + failures + " element(s) out of tolerance; worst: " + message + " (seed "
                    + options.seed() + ", eps " + tol.eps() + ", rtol " + tol.rtol() + ", atol " + tol.atol() + ")");
        }
        return worst;
    }

    /** Runs f in float32 and compares output and gradients with the float64 run (FORMAT.md §6 form). */
    private static void compareFloat32(Function<Tensor[], Tensor> f, Tensor[] x, boolean[] checked, Tensor v,
                                       Run reference, String op, Options options) {
        Tensor[] x32 = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            x32[i] = x[i].to(DType.F32);
        }
        Run single = run(f, x32, checked, v.to(DType.F32));
        if (single.out.dtype() != DType.F32) {
            throw new Failure(where(op) + "float32 inputs gave a " + single.out.dtype() + " output");
        }
        double rtol = 1e-4 * options.float32Scale();
        double atol = 1e-5 * options.float32Scale();
        compareClose(op, "output", reference.out.toDoubleArray(), single.out.toDoubleArray(), rtol, atol,
                reference.out.shapeRef());
        for (int i = 0; i < x.length; i++) {
            if (checked[i]) {
                compareClose(op, "gradient of input " + i, reference.grads[i].toDoubleArray(),
                        single.grads[i].toDoubleArray(), rtol, atol, x[i].shapeRef());
            }
        }
    }

    private static void compareClose(String op, String what, double[] expected, double[] actual, double rtol,
                                     double atol, int[] shape) {
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int j = 0; j < expected.length; j++) {
            double allowed = atol * scale + rtol * Math.abs(expected[j]);
            if (!(Math.abs(actual[j] - expected[j]) <= allowed)) {
                throw new Failure(where(op) + "float32 " + what + " at " + index(shape, j) + ": float32 " + actual[j]
                        + ", float64 " + expected[j] + ", |diff| " + Math.abs(actual[j] - expected[j]) + " > allowed "
                        + allowed);
            }
        }
    }

    private static double ratio(Tolerance tol, double analytic, double numeric) {
        double allowed = tol.atol() + tol.rtol() * Math.max(Math.abs(analytic), Math.abs(numeric));
        double diff = Math.abs(analytic - numeric);
        return allowed > 0 ? diff / allowed : diff == 0 ? 0 : Double.POSITIVE_INFINITY;
    }

    private static double relative(double analytic, double numeric) {
        double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
        return scale == 0 ? 0 : Math.abs(analytic - numeric) / scale;
    }

    private static String where(String op) {
        return "gradcheck" + (op == null ? "" : " of op '" + op + "'") + ": ";
    }

    /** Multi-index of flat element j, e.g. {@code [1, 2]}. */
    private static String index(int[] shape, int flat) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return Arrays.toString(index);
    }
}

package vecgrad.verify;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import vecgrad.autodiff.DType;
import vecgrad.autodiff.Tensor;

/**
 * One row per differentiable op: how many seeds to run and how to draw a case from a seed, kept inside the
 * op's differentiable domain (away from kinks and ties). The table is assembled from one map per op family
 * ({@link PointwiseSpecs}, {@link BroadcastSpecs}, {@link ReductionSpecs}, {@link ShapeSpecs},
 * {@link LinalgSpecs}, {@link LossSpecs}); a new family adds its own file and one line in {@link #ALL}.
 *
 * @param op    the op's catalog name ({@code Ops.names()})
 * @param seeds how many seeded cases the suite runs (25 for cheap ops, fewer for heavy ones)
 * @param cases draws one case from a seeded generator with every dimension at most {@code maxSize}
 */
public record GradSpec(String op, int seeds, Generator cases) {

    /** Draws one case; all random choices come from {@code rng}. */
    @FunctionalInterface
    public interface Generator {
        Case next(SplittableRandom rng, int maxSize);
    }

    /**
     * One drawn case: a function of the inputs (attributes and integer labels captured inside), the float64
     * inputs (those that take a gradient have {@code requiresGrad(true)}; the others are held constant), and
     * the longest reduction the op performs, which scales the float32-vs-float64 bound.
     */
    public record Case(String description, Function<Tensor[], Tensor> f, Tensor[] inputs, int reductionLength) {
        public Case(String description, Function<Tensor[], Tensor> f, Tensor... inputs) {
            this(description, f, inputs, 1);
        }

        Case withReduction(int length) {
            return new Case(description, f, inputs, Math.max(1, length));
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(description).append(" on");
            for (Tensor input : inputs) {
                text.append(' ').append(input.shapeString());
            }
            return text.toString();
        }
    }

    /** Every spec, by op name. */
    public static final Map<String, GradSpec> ALL = assemble(
            PointwiseSpecs.ALL,
            BroadcastSpecs.ALL,
            ReductionSpecs.ALL,
            ShapeSpecs.ALL,
            LinalgSpecs.ALL,
            LossSpecs.ALL);

    @SafeVarargs
    static Map<String, GradSpec> assemble(Map<String, GradSpec>... families) {
        Map<String, GradSpec> all = new TreeMap<>();
        for (Map<String, GradSpec> family : families) {
            for (Map.Entry<String, GradSpec> entry : family.entrySet()) {
                if (all.put(entry.getKey(), entry.getValue()) != null) {
                    throw new IllegalStateException("two gradient specs for op " + entry.getKey());
                }
            }
        }
        return Map.copyOf(all);
    }

    // ------------------------------------------------------------ generators shared by the family files

    /** A float64 leaf that takes a gradient. */
    static Tensor leaf(double[] data, int... shape) {
        return Tensor.of(data, shape).requiresGrad(true);
    }

    /** A float64 tensor held constant (no gradient checked). */
    static Tensor constant(double[] data, int... shape) {
        return Tensor.of(data, DType.F64, shape);
    }

    /** A random shape of rank {@code 0..maxRank}; dims in [1, maxSize], sometimes 1, rarely 0 when allowed. */
    static int[] shape(SplittableRandom rng, int minRank, int maxRank, int maxSize, boolean allowZero) {
        int rank = rng.nextInt(minRank, maxRank + 1);
        int[] shape = new int[rank];
        boolean zeroCase = allowZero && rng.nextInt(8) == 0;
        for (int d = 0; d < rank; d++) {
            shape[d] = rng.nextInt(4) == 0 ? 1 : rng.nextInt(1, Math.max(1, maxSize) + 1);
        }
        if (zeroCase && rank > 0) {
            shape[rng.nextInt(rank)] = 0;
        }
        return shape;
    }

    /**
     * A shape that broadcasts against {@code shape}: some leading dims dropped, some dims set to 1. The caller
     * swaps operands at random so both sides get stretched.
     */
    static int[] broadcastPartner(SplittableRandom rng, int[] shape) {
        int drop = rng.nextInt(shape.length + 1);
        int[] partner = Arrays.copyOfRange(shape, drop, shape.length);
        for (int d = 0; d < partner.length; d++) {
            if (rng.nextInt(3) == 0) {
                partner[d] = 1;
            }
        }
        return partner;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int size : shape) {
            n *= size;
        }
        return n;
    }

    /** A random subset of dims (non-empty when the rank allows), or null (= all dims) one time in four. */
    static int[] dims(SplittableRandom rng, int rank) {
        if (rank == 0 || rng.nextInt(4) == 0) {
            return null;
        }
        int[] picked = new int[rank];
        int count = 0;
        for (int d = 0; d < rank; d++) {
            if (rng.nextBoolean()) {
                picked[count++] = rng.nextBoolean() ? d : d - rank; // negative dims too
            }
        }
        if (count == 0) {
            picked[count++] = rng.nextInt(rank);
        }
        return Arrays.copyOf(picked, count);
    }

    /** Product of the sizes of the reduced dims (all dims when {@code dims} is null). */
    static int reducedCount(int[] shape, int[] dims) {
        if (dims == null) {
            return numel(shape);
        }
        int n = 1;
        for (int dim : dims) {
            n *= shape[dim < 0 ? dim + shape.length : dim];
        }
        return n;
    }
}

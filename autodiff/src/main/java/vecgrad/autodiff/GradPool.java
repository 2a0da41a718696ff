package vecgrad.autodiff;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-thread free list of arrays proven dead: intermediate gradients the engine itself created, consumed by
 * their rule and held by nothing else (never a leaf's gradient, a seed, or a tensor a rule returned from its
 * inputs or output), and the results a recycling tape released when it closed ({@link #release}: no tensor
 * can reach those arrays any more). Backward rules and the forward of the hot ops (matmul, broadcast
 * arithmetic, the pointwise kernels) take their output arrays here, so a training loop's steady state reuses
 * last step's arrays instead of allocating and zeroing them. Arrays come back with stale contents: a caller
 * must overwrite every element.
 */
final class GradPool {
    /** Bytes kept per thread at most; beyond that a dead array is left to the garbage collector. */
    private static final long MAX_BYTES = 64L << 20;
    private static final ThreadLocal<GradPool> POOL = ThreadLocal.withInitial(GradPool::new);

    private final Map<Integer, ArrayDeque<float[]>> floats = new HashMap<>();
    private final Map<Integer, ArrayDeque<double[]>> doubles = new HashMap<>();
    private long bytes;

    private GradPool() {}

    /** An array of n floats with undefined contents. */
    static float[] floats(int n) {
        GradPool pool = POOL.get();
        ArrayDeque<float[]> free = pool.floats.get(n);
        float[] array = free == null ? null : free.poll();
        if (array == null) {
            return new float[n];
        }
        pool.bytes -= 4L * n;
        return array;
    }

    /** An array of n doubles with undefined contents. */
    static double[] doubles(int n) {
        GradPool pool = POOL.get();
        ArrayDeque<double[]> free = pool.doubles.get(n);
        double[] array = free == null ? null : free.poll();
        if (array == null) {
            return new double[n];
        }
        pool.bytes -= 8L * n;
        return array;
    }

    /**
     * Detaches the arrays from a storage that tensors may still refer to, marks it released (reading such a
     * tensor then throws) and takes the arrays back: after this call nothing but the pool holds them.
     */
    static void release(Tensor.Storage storage) {
        if (storage.released) {
            return;
        }
        recycle(storage);
        storage.released = true;
        storage.floats = null;
        storage.doubles = null;
    }

    /** Takes back the arrays of a storage nothing refers to any more. */
    static void recycle(Tensor.Storage storage) {
        GradPool pool = POOL.get();
        if (storage.floats != null && storage.floats.length > 0 && pool.bytes + 4L * storage.floats.length <= MAX_BYTES) {
            pool.floats.computeIfAbsent(storage.floats.length, n -> new ArrayDeque<>()).push(storage.floats);
            pool.bytes += 4L * storage.floats.length;
        } else if (storage.doubles != null && storage.doubles.length > 0
                && pool.bytes + 8L * storage.doubles.length <= MAX_BYTES) {
            pool.doubles.computeIfAbsent(storage.doubles.length, n -> new ArrayDeque<>()).push(storage.doubles);
            pool.bytes += 8L * storage.doubles.length;
        }
    }
}

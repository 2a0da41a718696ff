package vecgrad.cluster;

import vecgrad.kernels.Simd;

/**
 * Argument and data checks for the cluster algorithms, with the project's one message format:
 * {@code op: problem; got ..., expected ...}. Data checks name the row and column of the first bad value.
 */
final class Check {
    /** Rows per parallel chunk of the non-finite screen. */
    private static final int SCREEN_ROWS = 4096;

    private Check() {}

    static IllegalArgumentException fail(String op, String problem, String got, String expected) {
        return new IllegalArgumentException(op + ": " + problem + "; got " + got + ", expected " + expected);
    }

    /** Throws unless {@code x} is a non-empty [n][d] matrix with d >= 1, equal row lengths and finite values. */
    static void matrix(String op, double[][] x) {
        shape(op, x == null ? -1 : x.length, x == null || x.length == 0 ? -1 : rowLength(x[0]));
        int d = x[0].length;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != d) {
                throw ragged(op, i, x[i] == null ? -1 : x[i].length, d);
            }
        }
        // The screen runs in parallel chunks; only on a hit is the first bad value located sequentially.
        int chunks = vecgrad.kernels.Parallel.chunks(x.length, SCREEN_ROWS);
        boolean[] clean = new boolean[chunks];
        vecgrad.kernels.Parallel.forEach(chunks, chunk -> {
            boolean ok = true;
            for (int i = chunk * SCREEN_ROWS, end = Math.min(x.length, i + SCREEN_ROWS); i < end && ok; i++) {
                ok = Finite.all(x[i]);
            }
            clean[chunk] = ok;
        });
        for (int chunk = 0; chunk < chunks; chunk++) {
            if (clean[chunk]) {
                continue;
            }
            for (int i = chunk * SCREEN_ROWS; i < x.length; i++) {
                for (int j = 0; j < d; j++) {
                    if (!Double.isFinite(x[i][j])) {
                        throw nonFinite(op, i, j, x[i][j]);
                    }
                }
            }
        }
    }

    /**
     * {@link #matrix(String, double[][])} and a row-major copy [n·d] of x in the same pass: each chunk of rows is
     * copied in parallel and the copy screened while it is in cache, so x is read from memory once.
     */
    static double[] flatMatrix(String op, double[][] x) {
        shape(op, x == null ? -1 : x.length, x == null || x.length == 0 ? -1 : rowLength(x[0]));
        int d = x[0].length;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != d) {
                throw ragged(op, i, x[i] == null ? -1 : x[i].length, d);
            }
        }
        double[] flat = new double[x.length * d];
        int chunks = vecgrad.kernels.Parallel.chunks(x.length, SCREEN_ROWS);
        boolean[] clean = new boolean[chunks];
        vecgrad.kernels.Parallel.forEach(chunks, chunk -> {
            int from = chunk * SCREEN_ROWS, end = Math.min(x.length, from + SCREEN_ROWS);
            for (int i = from; i < end; i++) {
                System.arraycopy(x[i], 0, flat, i * d, d);
            }
            clean[chunk] = Finite.all(flat, from * d, (end - from) * d);
        });
        for (int chunk = 0; chunk < chunks; chunk++) {
            if (!clean[chunk]) {
                matrix(op, x); // names the first bad value
            }
        }
        return flat;
    }

    /** Float32 twin of {@link #matrix(String, double[][])}. */
    static void matrix(String op, float[][] x) {
        rows(op, x);
        int d = x[0].length;
        // The screen runs in parallel chunks; only on a hit is the first bad value located sequentially.
        int chunks = vecgrad.kernels.Parallel.chunks(x.length, SCREEN_ROWS);
        boolean[] clean = new boolean[chunks];
        vecgrad.kernels.Parallel.forEach(chunks, chunk -> {
            boolean ok = true;
            for (int i = chunk * SCREEN_ROWS, end = Math.min(x.length, i + SCREEN_ROWS); i < end && ok; i++) {
                ok = Finite.all(x[i]);
            }
            clean[chunk] = ok;
        });
        for (int chunk = 0; chunk < chunks; chunk++) {
            if (clean[chunk]) {
                continue;
            }
            for (int i = chunk * SCREEN_ROWS; i < x.length; i++) {
                for (int j = 0; j < d; j++) {
                    if (!Float.isFinite(x[i][j])) {
                        throw nonFinite(op, i, j, x[i][j]);
                    }
                }
            }
        }
    }

    /**
     * The shape part of {@link #matrix(String, float[][])} alone (non-empty, d >= 1, equal row lengths), for
     * callers that screen the values in a pass over x they make anyway.
     */
    static void rows(String op, float[][] x) {
        shape(op, x == null ? -1 : x.length, x == null || x.length == 0 ? -1 : rowLength(x[0]));
        int d = x[0].length;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != d) {
                throw ragged(op, i, x[i] == null ? -1 : x[i].length, d);
            }
        }
    }

    /** Throws unless {@code x} is [n][d] with the given d (for predict/transform on a fitted model). */
    static void matrix(String op, double[][] x, int d) {
        matrix(op, x);
        if (x[0].length != d) {
            throw fail(op, "feature count differs from the fitted model", "[" + x.length + ", " + x[0].length + "]",
                    "[n, " + d + "]");
        }
    }

    static void matrix(String op, float[][] x, int d) {
        matrix(op, x);
        features(op, x, d);
    }

    /** {@link #rows(String, float[][])} and the feature count of {@link #matrix(String, float[][], int)}. */
    static void rows(String op, float[][] x, int d) {
        rows(op, x);
        features(op, x, d);
    }

    private static void features(String op, float[][] x, int d) {
        if (x[0].length != d) {
            throw fail(op, "feature count differs from the fitted model", "[" + x.length + ", " + x[0].length + "]",
                    "[n, " + d + "]");
        }
    }

    /** Null (meaning all ones) or n finite non-negative weights with a positive sum. */
    static void sampleWeights(String op, double[] weights, int n) {
        if (weights == null) {
            return;
        }
        if (weights.length != n) {
            throw fail(op, "sample weights do not match the samples", weights.length + " weights", n + " (one per row)");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (!(weights[i] >= 0) || weights[i] == Double.POSITIVE_INFINITY) {
                throw fail(op, "sample weight " + i + " is invalid", String.valueOf(weights[i]), "a finite value >= 0");
            }
            sum += weights[i];
        }
        if (!(sum > 0)) {
            throw fail(op, "sample weights sum to zero", "sum " + sum, "a positive sum");
        }
    }

    /** SIMD screens for non-finite values: x − x is 0 for finite x and NaN for NaN and ±Inf. */
    static final class Finite {
        private static final jdk.incubator.vector.VectorSpecies<Float> F = vecgrad.kernels.Simd.F32;
        private static final jdk.incubator.vector.VectorSpecies<Double> D = vecgrad.kernels.Simd.F64;

        private Finite() {}

        static boolean all(float[] row) {
            jdk.incubator.vector.FloatVector acc = jdk.incubator.vector.FloatVector.zero(F);
            int t = 0;
            for (int bound = F.loopBound(row.length); t < bound; t += F.length()) {
                jdk.incubator.vector.FloatVector v = jdk.incubator.vector.FloatVector.fromArray(F, row, t);
                acc = acc.add(v.sub(v));
            }
            float sum = Simd.sumLanes(acc);
            for (; t < row.length; t++) {
                sum += row[t] - row[t];
            }
            return sum == 0;
        }

        /** Whether a[off, off + len) is all finite: x − x is 0 for finite x and NaN otherwise, one fold per call. */
        static boolean all(double[] a, int off, int len) {
            jdk.incubator.vector.DoubleVector acc = jdk.incubator.vector.DoubleVector.zero(D);
            int t = 0;
            for (int bound = D.loopBound(len); t < bound; t += D.length()) {
                jdk.incubator.vector.DoubleVector v = jdk.incubator.vector.DoubleVector.fromArray(D, a, off + t);
                acc = acc.add(v.sub(v));
            }
            double sum = Simd.sumLanes(acc);
            for (; t < len; t++) {
                sum += a[off + t] - a[off + t];
            }
            return sum == 0;
        }

        static boolean all(double[] row) {
            jdk.incubator.vector.DoubleVector acc = jdk.incubator.vector.DoubleVector.zero(D);
            int t = 0;
            for (int bound = D.loopBound(row.length); t < bound; t += D.length()) {
                jdk.incubator.vector.DoubleVector v = jdk.incubator.vector.DoubleVector.fromArray(D, row, t);
                acc = acc.add(v.sub(v));
            }
            double sum = Simd.sumLanes(acc);
            for (; t < row.length; t++) {
                sum += row[t] - row[t];
            }
            return sum == 0;
        }
    }

    private static int rowLength(Object row) {
        if (row instanceof double[] r) {
            return r.length;
        }
        return row == null ? -1 : ((float[]) row).length;
    }

    private static void shape(String op, int n, int d) {
        if (n < 1) {
            throw fail(op, "input is empty", n < 0 ? "null" : "0 rows", "at least 1 row");
        }
        if (d < 1) {
            throw fail(op, "input has no features", "row 0 of length " + Math.max(d, 0), "at least 1 column");
        }
    }

    private static IllegalArgumentException ragged(String op, int row, int length, int d) {
        return fail(op, "input rows differ in length", "row " + row + " of length " + length,
                d + " (the length of row 0)");
    }

    private static IllegalArgumentException nonFinite(String op, int row, int column, double value) {
        String what = Double.isNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf";
        return fail(op, "input contains " + what + " at row " + row + ", column " + column, what, "finite values");
    }

    static double[] copy(double[] a) {
        return a == null ? null : a.clone();
    }

    static double[][] copy(double[][] a) {
        if (a == null) {
            return null;
        }
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    static double[][][] copy(double[][][] a) {
        if (a == null) {
            return null;
        }
        double[][][] out = new double[a.length][][];
        for (int i = 0; i < a.length; i++) {
            out[i] = copy(a[i]);
        }
        return out;
    }
}

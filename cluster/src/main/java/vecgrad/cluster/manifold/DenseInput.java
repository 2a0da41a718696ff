package vecgrad.cluster.manifold;

/**
 * A validated data matrix {@code [rows, cols]} in row-major float64, built from a caller's
 * {@code double[][]} or {@code float[][]}. Construction rejects empty input, ragged rows and
 * non-finite values (naming the row and column), so algorithms can index the flat array freely.
 *
 * @param values row-major copy of the input, {@code rows * cols} values
 * @param rows   number of samples
 * @param cols   number of features
 */
public record DenseInput(double[] values, int rows, int cols) {
    public DenseInput {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException("dense input: values do not fill the matrix; got " + values.length
                    + " values, expected rows * cols = " + rows + " * " + cols);
        }
    }

    /** Copies and validates {@code x: [n, d]}; {@code op} prefixes every error message. */
    public static DenseInput of(String op, double[][] x) {
        int cols = checkShape(op, x, row -> ((double[]) row).length);
        double[] values = new double[x.length * cols];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < cols; j++) {
                double v = x[i][j];
                checkFinite(op, v, i, j);
                values[i * cols + j] = v;
            }
        }
        return new DenseInput(values, x.length, cols);
    }

    /** Copies {@code x: [n, d]} to float64 and validates it; {@code op} prefixes every error message. */
    public static DenseInput of(String op, float[][] x) {
        int cols = checkShape(op, x, row -> ((float[]) row).length);
        double[] values = new double[x.length * cols];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < cols; j++) {
                double v = x[i][j];
                checkFinite(op, v, i, j);
                values[i * cols + j] = v;
            }
        }
        return new DenseInput(values, x.length, cols);
    }

    /** Row i as a new array. */
    public double[] row(int i) {
        double[] row = new double[cols];
        System.arraycopy(values, i * cols, row, 0, cols);
        return row;
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** The flat array itself, for algorithms in this package that only read it. */
    double[] data() {
        return values;
    }

    /** Fails with the one message format when {@code v} is NaN or infinite. */
    static void checkFinite(String op, double v, int row, int col) {
        if (!Double.isFinite(v)) {
            String what = Double.isNaN(v) ? "NaN" : "infinite";
            throw new IllegalArgumentException(op + ": input contains " + what + " at row " + row + ", column " + col
                    + "; got " + v + ", expected a finite value");
        }
    }

    private interface Length {
        int of(Object row);
    }

    private static int checkShape(String op, Object[] x, Length length) {
        int rows = x == null ? 0 : x.length;
        if (rows == 0) {
            throw new IllegalArgumentException(op + ": input is empty; got 0 samples, expected at least 1");
        }
        if (x[0] == null) {
            throw new IllegalArgumentException(op + ": row 0 is null; got null, expected an array");
        }
        int cols = length.of(x[0]);
        if (cols == 0) {
            throw new IllegalArgumentException(op + ": input has no features; got [" + rows + ", 0], expected at least 1 column");
        }
        for (int i = 1; i < rows; i++) {
            int len = x[i] == null ? -1 : length.of(x[i]);
            if (len != cols) {
                throw new IllegalArgumentException(op + ": rows have different lengths; got row " + i + " with "
                        + (len < 0 ? "null" : len + " values") + ", expected " + cols + " (the length of row 0)");
            }
        }
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(op + ": input too large for one array; got [" + rows + ", " + cols
                    + "], expected rows * cols < 2^31");
        }
        return cols;
    }
}

package vecgrad.autodiff;

/**
 * {@code softmax(x, dim) = e^(x−max) / Σ e^(x−max)} and {@code log_softmax(x, dim) = x − max − ln Σ e^(x−max)}
 * along one dimension, shape preserved. The max-shift keeps logits of magnitude 1e3 finite and exact.
 */
final class SoftmaxOp {
    private SoftmaxOp() {}

    static Tensor softmax(Tensor x, int dim) {
        int d = Check.dim("softmax", dim, Math.max(1, x.rank()));
        double[] y = softmaxValues(x, d);
        Tensor out = Tensor.wrap(y, x.dtype(), x.shape());
        int[] shape = x.shape();
        return Tape.record("softmax", out, new Tensor[] {x}, (grad, needs) -> {
            double[] g = grad.readDoubles();
            double[] s = out.readDoubles();
            double[] dx = new double[g.length];
            forEachRow(shape, d, (base, size, stride) -> {
                double dot = 0;
                for (int j = 0; j < size; j++) {
                    dot += g[base + j * stride] * s[base + j * stride];
                }
                for (int j = 0; j < size; j++) {
                    int at = base + j * stride;
                    dx[at] = s[at] * (g[at] - dot); // dL/dx = s ⊙ (grad − Σ grad·s)
                }
            });
            return new Tensor[] {Tensor.wrap(dx, x.dtype(), x.shape())};
        });
    }

    static Tensor logSoftmax(Tensor x, int dim) {
        int d = Check.dim("log_softmax", dim, Math.max(1, x.rank()));
        double[] y = logSoftmaxValues(x, d);
        Tensor out = Tensor.wrap(y, x.dtype(), x.shape());
        int[] shape = x.shape();
        return Tape.record("log_softmax", out, new Tensor[] {x}, (grad, needs) -> {
            double[] g = grad.readDoubles();
            double[] dx = new double[g.length];
            forEachRow(shape, d, (base, size, stride) -> {
                double total = 0;
                for (int j = 0; j < size; j++) {
                    total += g[base + j * stride];
                }
                for (int j = 0; j < size; j++) {
                    int at = base + j * stride;
                    dx[at] = g[at] - Math.exp(y[at]) * total; // dL/dx = grad − softmax(x)·Σ grad
                }
            });
            return new Tensor[] {Tensor.wrap(dx, x.dtype(), x.shape())};
        });
    }

    /** softmax in double along dim d: e^(x − max) / Σ e^(x − max), one rounding per division. */
    static double[] softmaxValues(Tensor x, int d) {
        double[] xs = x.readDoubles();
        double[] y = new double[xs.length];
        forEachRow(x.shapeRef(), d, (base, size, stride) -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < size; j++) {
                max = Math.max(max, xs[base + j * stride]);
            }
            double shift = Double.isInfinite(max) ? 0 : max;
            double sum = 0;
            for (int j = 0; j < size; j++) {
                double e = Math.exp(xs[base + j * stride] - shift);
                y[base + j * stride] = e;
                sum += e;
            }
            for (int j = 0; j < size; j++) {
                y[base + j * stride] /= sum;
            }
        });
        return y;
    }

    /** log_softmax in double along dim d, with the max-shift. */
    static double[] logSoftmaxValues(Tensor x, int d) {
        double[] xs = x.readDoubles();
        double[] y = new double[xs.length];
        forEachRow(x.shapeRef(), d, (base, size, stride) -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < size; j++) {
                max = Math.max(max, xs[base + j * stride]);
            }
            double shift = Double.isInfinite(max) ? 0 : max; // all -Inf rows: no shift, IEEE decides
            double sum = 0;
            for (int j = 0; j < size; j++) {
                sum += Math.exp(xs[base + j * stride] - shift);
            }
            double logSum = shift + Math.log(sum);
            for (int j = 0; j < size; j++) {
                y[base + j * stride] = xs[base + j * stride] - logSum;
            }
        });
        return y;
    }

    @FunctionalInterface
    interface Row {
        void visit(int base, int size, int stride);
    }

    /** Visits every 1-D row along dim d: elements {@code base + j·stride} for j < size. */
    static void forEachRow(int[] shape, int d, Row row) {
        if (shape.length == 0) {
            row.visit(0, 1, 1);
            return;
        }
        int outer = Shapes.outer(shape, d);
        int size = shape[d];
        int inner = Shapes.inner(shape, d);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                row.visit(o * size * inner + i, size, inner);
            }
        }
    }
}

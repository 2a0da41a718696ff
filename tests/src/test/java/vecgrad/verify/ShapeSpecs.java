package vecgrad.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import vecgrad.autodiff.Tensor;

/** Gradient specs of the layout ops; values are arbitrary (these ops have no kinks). */
final class ShapeSpecs {
    private ShapeSpecs() {}

    static final Map<String, GradSpec> ALL = build();

    private static Tensor input(SplittableRandom rng, int[] shape) {
        return GradSpec.leaf(Cases.uniform(rng, GradSpec.numel(shape), -2, 2), shape);
    }

    private static Map<String, GradSpec> build() {
        Map<String, GradSpec> specs = new TreeMap<>();
        specs.put("reshape", new GradSpec("reshape", 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 0, 3, maxSize, true);
            int n = GradSpec.numel(shape);
            int[] target = switch (rng.nextInt(3)) {
                case 0 -> new int[] {n};
                case 1 -> reversed(shape);
                default -> n == 0 ? new int[] {0, 3} : new int[] {1, -1, 1};
            };
            return new GradSpec.Case("reshape" + Arrays.toString(target), in -> in[0].reshape(target), input(rng, shape));
        }));
        specs.put("transpose", new GradSpec("transpose", 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 1, 4, maxSize, true);
            int a = rng.nextInt(-shape.length, shape.length);
            int b = rng.nextInt(-shape.length, shape.length);
            return new GradSpec.Case("transpose(" + a + ", " + b + ")", in -> in[0].transpose(a, b), input(rng, shape));
        }));
        specs.put("permute", new GradSpec("permute", 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 0, 4, maxSize, true);
            int[] order = shuffled(rng, shape.length);
            return new GradSpec.Case("permute" + Arrays.toString(order), in -> in[0].permute(order), input(rng, shape));
        }));
        specs.put("concat", new GradSpec("concat", 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 1, 3, maxSize, false);
            int dim = rng.nextInt(-shape.length, shape.length);
            int d = dim < 0 ? dim + shape.length : dim;
            int count = rng.nextInt(1, 4);
            List<Tensor> pieces = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int[] piece = shape.clone();
                piece[d] = rng.nextInt(0, Math.max(1, maxSize) + 1); // size 0 pieces are valid
                pieces.add(input(rng, piece));
            }
            return new GradSpec.Case("concat(dim " + dim + ")", in -> Tensor.concat(List.of(in), dim),
                    pieces.toArray(new Tensor[0]));
        }));
        specs.put("stack", new GradSpec("stack", 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 0, 3, maxSize, true);
            int dim = rng.nextInt(-(shape.length + 1), shape.length + 1);
            int count = rng.nextInt(1, 4);
            Tensor[] pieces = new Tensor[count];
            for (int i = 0; i < count; i++) {
                pieces[i] = input(rng, shape);
            }
            return new GradSpec.Case("stack(dim " + dim + ")", in -> Tensor.stack(List.of(in), dim), pieces);
        }));
        specs.put("slice", new GradSpec("slice", 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 1, 3, maxSize, true);
            int dim = rng.nextInt(-shape.length, shape.length);
            int size = shape[dim < 0 ? dim + shape.length : dim];
            int start = rng.nextInt(size + 1);
            int end = rng.nextInt(start, size + 1);
            int step = rng.nextInt(1, 4);
            return new GradSpec.Case("slice(dim " + dim + ", " + start + ":" + end + ":" + step + ")",
                    in -> in[0].slice(dim, start, end, step), input(rng, shape));
        }));
        specs.put("narrow", new GradSpec("narrow", 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 1, 3, maxSize, true);
            int dim = rng.nextInt(-shape.length, shape.length);
            int size = shape[dim < 0 ? dim + shape.length : dim];
            int start = rng.nextInt(size + 1);
            int length = rng.nextInt(size - start + 1);
            return new GradSpec.Case("narrow(dim " + dim + ", start " + start + ", length " + length + ")",
                    in -> in[0].narrow(dim, start, length), input(rng, shape));
        }));
        specs.put("index_select", new GradSpec("index_select", 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 1, 3, maxSize, false);
            int dim = rng.nextInt(-shape.length, shape.length);
            int size = shape[dim < 0 ? dim + shape.length : dim];
            int[] index = new int[rng.nextInt(0, 2 * size + 1)];
            for (int i = 0; i < index.length; i++) {
                index[i] = rng.nextInt(size); // repeats are allowed: their gradients add up
            }
            return new GradSpec.Case("index_select(dim " + dim + ", " + Arrays.toString(index) + ")",
                    in -> in[0].indexSelect(dim, index), input(rng, shape));
        }));
        specs.put("gather", new GradSpec("gather", 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 1, 3, maxSize, false);
            int dim = rng.nextInt(-shape.length, shape.length);
            int d = dim < 0 ? dim + shape.length : dim;
            int[] indexShape = new int[shape.length];
            for (int k = 0; k < shape.length; k++) {
                indexShape[k] = k == d ? rng.nextInt(0, maxSize + 1) : rng.nextInt(0, shape[k] + 1);
            }
            int[] index = new int[GradSpec.numel(indexShape)];
            for (int i = 0; i < index.length; i++) {
                index[i] = rng.nextInt(shape[d]);
            }
            return new GradSpec.Case("gather(dim " + dim + ", index " + Arrays.toString(indexShape) + ")",
                    in -> in[0].gather(dim, index, indexShape), input(rng, shape));
        }));
        specs.put("pad", new GradSpec("pad", 25, (rng, maxSize) -> {
            int[] shape = GradSpec.shape(rng, 1, 3, maxSize, true);
            int[] padding = new int[2 * rng.nextInt(1, shape.length + 1)];
            for (int i = 0; i < padding.length; i++) {
                padding[i] = rng.nextInt(0, 3);
            }
            return new GradSpec.Case("pad" + Arrays.toString(padding), in -> in[0].pad(padding), input(rng, shape));
        }));
        return specs;
    }

    private static int[] reversed(int[] shape) {
        int[] out = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            out[d] = shape[shape.length - 1 - d];
        }
        return out;
    }

    static int[] shuffled(SplittableRandom rng, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}

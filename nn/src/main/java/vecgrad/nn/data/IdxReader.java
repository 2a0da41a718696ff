package vecgrad.nn.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader of IDX files (the MNIST / Fashion-MNIST format): magic {@code 00 00 TT R}, R big-endian int32
 * dimensions, then the payload in row-major order, big-endian. gzip-compressed files (as Debian ships
 * them) are decompressed transparently. Every malformed file is rejected with an
 * {@link IllegalArgumentException} naming the file and what was wrong; nothing is read leniently.
 *
 * {@snippet :
 * IdxReader.Dataset train = IdxReader.fashionMnist(true);   // 60,000 images [28, 28] and labels
 * float[][] rows = train.images().toFloatRows();             // [60000][784], pixels / 255
 * }
 *
 * <p>Reference: Y. LeCun et al., THE MNIST DATABASE of handwritten digits (file format section).
 */
public final class IdxReader {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int FASHION_MNIST_CLASSES = 10;
    private static final String OP = "idx";

    private IdxReader() {}

    /** Element types of the IDX format: code, size in bytes. */
    public enum Type {
        UBYTE(0x08, 1), BYTE(0x09, 1), SHORT(0x0B, 2), INT(0x0C, 4), FLOAT(0x0D, 4), DOUBLE(0x0E, 8);

        final int code;
        final int size;

        Type(int code, int size) {
            this.code = code;
            this.size = size;
        }

        static Type of(int code, Path file) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException(OP + ": unknown type code 0x" + String.format("%02X", code) + " in "
                    + file + "; got 0x" + String.format("%02X", code)
                    + ", expected one of 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E");
        }
    }

    /**
     * A decoded IDX file: element type, dimensions and the raw big-endian payload. Immutable (the payload
     * is never handed out).
     */
    public static final class IdxArray {
        private final Path file;
        private final Type type;
        private final int[] dims;
        private final ByteBuffer payload;

        IdxArray(Path file, Type type, int[] dims, ByteBuffer payload) {
            this.file = file;
            this.type = type;
            this.dims = dims.clone();
            this.payload = payload.asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN);
        }

        public Path file() {
            return file;
        }

        public Type type() {
            return type;
        }

        public int[] dims() {
            return dims.clone();
        }

        /** Number of elements, ∏ dims. */
        public int size() {
            return payload.capacity() / type.size;
        }

        /** Element i (row-major) as a double; UBYTE elements are unsigned (0xFF is 255). */
        public double get(int i) {
            return switch (type) {
                case UBYTE -> payload.get(i) & 0xFF;
                case BYTE -> payload.get(i);
                case SHORT -> payload.getShort(i * 2);
                case INT -> payload.getInt(i * 4);
                case FLOAT -> payload.getFloat(i * 4);
                case DOUBLE -> payload.getDouble(i * 8);
            };
        }
    }

    /** Images [count, rows, cols] of unsigned bytes. */
    public record Images(Path file, int count, int rows, int cols, byte[] pixels) {
        public Images {
            pixels = pixels.clone();
        }

        @Override
        public byte[] pixels() {
            return pixels.clone();
        }

        /** Pixel (r, c) of image i as an unsigned value in [0, 255]. */
        public int pixel(int i, int r, int c) {
            return pixels[(i * rows + r) * cols + c] & 0xFF;
        }

        /** [count][rows·cols] pixels scaled to [0, 1] (value / 255). */
        public float[][] toFloatRows() {
            int size = rows * cols;
            float[][] out = new float[count][size];
            for (int i = 0; i < count; i++) {
                for (int p = 0; p < size; p++) {
                    out[i][p] = (pixels[i * size + p] & 0xFF) / 255f;
                }
            }
            return out;
        }

        /** The first {@code n} images. */
        public Images head(int n) {
            int m = Math.min(n, count);
            return new Images(file, m, rows, cols, Arrays.copyOf(pixels, m * rows * cols));
        }
    }

    /** Images with their class labels, the same count of each. */
    public record Dataset(Images images, int[] labels) {
        public Dataset {
            labels = labels.clone();
        }

        @Override
        public int[] labels() {
            return labels.clone();
        }

        /** The first {@code n} samples. */
        public Dataset head(int n) {
            Images h = images.head(n);
            return new Dataset(h, Arrays.copyOf(labels, h.count()));
        }
    }

    /** Reads any IDX file (optionally gzip-compressed). */
    public static IdxArray read(Path file) {
        byte[] bytes = decompressIfGzip(file, readAll(file));
        if (bytes.length < 4) {
            throw new IllegalArgumentException(OP + ": not an IDX file: " + file + " is only " + bytes.length
                    + " bytes; got " + bytes.length + " bytes, expected a 4-byte magic number and dimensions");
        }
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new IllegalArgumentException(OP + ": not an IDX file: magic 0x"
                    + String.format("%02X%02X%02X%02X", bytes[0], bytes[1], bytes[2], bytes[3]) + " in " + file
                    + "; got first bytes " + String.format("%02X %02X", bytes[0], bytes[1]) + ", expected 00 00");
        }
        Type type = Type.of(bytes[2] & 0xFF, file);
        int rank = bytes[3] & 0xFF;
        long header = 4L + 4L * rank;
        if (bytes.length < header) {
            throw new IllegalArgumentException(OP + ": truncated header in " + file + "; got " + bytes.length
                    + " bytes, expected at least " + header + " for " + rank + " dimensions");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[rank];
        long elements = 1;
        for (int r = 0; r < rank; r++) {
            dims[r] = buffer.getInt(4 + 4 * r);
            if (dims[r] < 0) {
                throw new IllegalArgumentException(OP + ": negative dimension " + r + " in " + file + "; got "
                        + (dims[r] & 0xFFFFFFFFL) + ", expected a size below 2^31");
            }
            elements *= dims[r];
            if (elements * type.size > Integer.MAX_VALUE - 8) { // checked per factor, so the product cannot overflow
                throw new IllegalArgumentException(OP + ": payload too large in " + file + "; got dimensions "
                        + Arrays.toString(Arrays.copyOf(dims, r + 1)) + " of " + type.size
                        + "-byte elements, expected fewer than 2^31 bytes");
            }
        }
        long expected = header + elements * type.size;
        if (bytes.length != expected) {
            throw new IllegalArgumentException(OP + ": payload size mismatch in " + file + " (dimensions "
                    + Arrays.toString(dims) + "); got " + bytes.length + " bytes, expected " + expected
                    + " bytes (header " + header + " + " + elements + " × " + type.size + ")");
        }
        ByteBuffer payload = ByteBuffer.wrap(bytes, (int) header, (int) (elements * type.size)).slice();
        return new IdxArray(file, type, dims, payload);
    }

    /** Reads a rank-3 unsigned-byte image file [count, rows, cols]. */
    public static Images readImages(Path file) {
        IdxArray array = read(file);
        if (array.dims.length != 3) {
            throw new IllegalArgumentException(OP + ": wrong rank for images in " + file + "; got "
                    + array.dims.length + " dimensions " + Arrays.toString(array.dims)
                    + ", expected 3 [count, rows, cols]");
        }
        requireUbyte(array);
        byte[] pixels = new byte[array.size()];
        array.payload.get(0, pixels);
        return new Images(file, array.dims[0], array.dims[1], array.dims[2], pixels);
    }

    /** Reads a rank-1 unsigned-byte label file [count]; every label must be below {@code classes}. */
    public static int[] readLabels(Path file, int classes) {
        IdxArray array = read(file);
        if (array.dims.length != 1) {
            throw new IllegalArgumentException(OP + ": wrong rank for labels in " + file + "; got "
                    + array.dims.length + " dimensions " + Arrays.toString(array.dims) + ", expected 1 [count]");
        }
        requireUbyte(array);
        int[] labels = new int[array.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) array.get(i);
            if (labels[i] >= classes) {
                throw new IllegalArgumentException(OP + ": label out of range at index " + i + " in " + file
                        + "; got " + labels[i] + ", expected a label < " + classes);
            }
        }
        return labels;
    }

    /** Reads images and labels and checks that their counts agree. */
    public static Dataset read(Path images, Path labels, int classes) {
        Images im = readImages(images);
        int[] lab = readLabels(labels, classes);
        if (im.count() != lab.length) {
            throw new IllegalArgumentException(OP + ": image and label counts differ; got " + im.count()
                    + " images in " + images + " and " + lab.length + " labels in " + labels + ", expected equal counts");
        }
        return new Dataset(im, lab);
    }

    /** Fashion-MNIST from {@link #FASHION_MNIST_DIR}: the 60,000 training or the 10,000 test samples. */
    public static Dataset fashionMnist(boolean train) {
        return fashionMnist(FASHION_MNIST_DIR, train);
    }

    /** Fashion-MNIST from a directory holding the four standard (optionally .gz) files. */
    public static Dataset fashionMnist(Path dir, boolean train) {
        String prefix = train ? "train" : "t10k";
        return read(pick(dir, prefix + "-images-idx3-ubyte"), pick(dir, prefix + "-labels-idx1-ubyte"),
                FASHION_MNIST_CLASSES);
    }

    private static Path pick(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        return Files.exists(gz) ? gz : dir.resolve(name);
    }

    private static void requireUbyte(IdxArray array) {
        if (array.type != Type.UBYTE) {
            throw new IllegalArgumentException(OP + ": wrong element type in " + array.file + "; got " + array.type
                    + ", expected UBYTE (0x08)");
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(OP + ": file not found: " + file + "; got no file, expected an IDX file"
                    + " (for Fashion-MNIST: apt-get install dataset-fashion-mnist)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(OP + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] decompressIfGzip(Path file, byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xFF) != 0x1F || (bytes[1] & 0xFF) != 0x8B) {
            return bytes;
        }
        CountingStream compressed = new CountingStream(new ByteArrayInputStream(bytes));
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4);
        try (GZIPInputStream gzip = new GZIPInputStream(compressed, 1 << 16)) {
            gzip.transferTo(out);
        } catch (IOException e) {
            throw new IllegalArgumentException(OP + ": corrupt gzip stream in " + file + " at compressed offset "
                    + compressed.count + " (after " + out.size() + " decompressed bytes); got " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " '" + e.getMessage() + "'") + ", expected a complete gzip stream", e);
        }
        return out.toByteArray();
    }

    /** Counts the compressed bytes consumed, so a corrupt stream can be reported with its offset. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}

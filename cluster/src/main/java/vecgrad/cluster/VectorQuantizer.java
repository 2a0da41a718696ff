package vecgrad.cluster;

/**
 * Vector quantization with a k-means codebook: each vector [C] (for images, a pixel's C channel values)
 * is encoded as the index of its nearest codeword and decoded as that codeword. Immutable.
 *
 * <p>Storage cost (seed {@code 003}): N vectors of C values at b bits each take N·C·b bits raw, and
 * N·log2 K + K·C·b bits coded (the codes plus the codebook). For N = 65,536 8-bit grey pixels and K = 4
 * that is 524,288 against 131,104 bits, a factor 4.
 *
 * {@snippet :
 * VectorQuantizer vq = VectorQuantizer.fit(KMeansConfig.of(4, 1L), VectorQuantizer.pixels(image, 3));
 * double[] quantized = vq.quantizeImage(image, 3);   // image: [h·w·3], channels interleaved
 * }
 *
 * <p>Reference: R. M. Gray, Vector quantization, IEEE ASSP Magazine (1984).
 */
public final class VectorQuantizer {
    private static final String OP = "vector_quantizer";
    private final KMeansResult codebook;

    private VectorQuantizer(KMeansResult codebook) {
        this.codebook = codebook;
    }

    /** Learns a codebook of config.k() codewords from vectors [N][C]. */
    public static VectorQuantizer fit(KMeansConfig config, double[][] vectors) {
        return new VectorQuantizer(KMeans.fit(config, vectors));
    }

    /** Float32 twin of {@link #fit(KMeansConfig, double[][])}. */
    public static VectorQuantizer fit(KMeansConfig config, float[][] vectors) {
        return new VectorQuantizer(KMeans.fit(config, vectors));
    }

    /** The k-means fit behind the codebook (centers, inertia, ...). */
    public KMeansResult kmeans() {
        return codebook;
    }

    /** [K][C] codewords. */
    public double[][] codebook() {
        return codebook.centers();
    }

    public int k() {
        return codebook.k();
    }

    public int channels() {
        return codebook.dimension();
    }

    /** [N] index of the nearest codeword of each vector of [N][C]. */
    public int[] encode(double[][] vectors) {
        return codebook.predict(vectors);
    }

    /** [N][C] codewords of the codes [N]. */
    public double[][] decode(int[] codes) {
        int c = channels();
        double[][] out = new double[codes.length][c];
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] >= k()) {
                throw Check.fail(OP, "code " + i + " is out of range", String.valueOf(codes[i]), "0 <= code < " + k());
            }
            for (int t = 0; t < c; t++) {
                out[i][t] = codebook.center(codes[i], t);
            }
        }
        return out;
    }

    /** An image [h·w·channels] with interleaved channels, quantized: every pixel replaced by its codeword. */
    public double[] quantizeImage(double[] image, int channels) {
        if (channels != channels()) {
            throw Check.fail(OP, "channel count differs from the codebook", "channels = " + channels,
                    "channels = " + channels());
        }
        double[][] decoded = decode(encode(pixels(image, channels)));
        double[] out = new double[image.length];
        for (int i = 0; i < decoded.length; i++) {
            System.arraycopy(decoded[i], 0, out, i * channels, channels);
        }
        return out;
    }

    /** An image [h·w·channels] with interleaved channels as rows [h·w][channels]. */
    public static double[][] pixels(double[] image, int channels) {
        if (channels < 1 || image == null || image.length == 0 || image.length % channels != 0) {
            throw Check.fail(OP, "image length is not a positive multiple of the channels",
                    (image == null ? "null" : image.length + " values") + " with channels = " + channels,
                    "h·w·channels values");
        }
        double[][] rows = new double[image.length / channels][channels];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(image, i * channels, rows[i], 0, channels);
        }
        return rows;
    }

    /**
     * Bits to store N vectors of {@code channels} values at {@code bitsPerValue} bits raw, and coded with K codewords.
     *
     * @param rawBits   N·C·b
     * @param codedBits N·log2 K + K·C·b (codes plus codebook)
     */
    public record Cost(long vectors, int k, int channels, int bitsPerValue, double rawBits, double codedBits) {
        /** rawBits / codedBits. */
        public double ratio() {
            return rawBits / codedBits;
        }
    }

    /** The storage cost of N vectors with this codebook at {@code bitsPerValue} bits per raw value. */
    public Cost cost(long vectors, int bitsPerValue) {
        return cost(vectors, k(), channels(), bitsPerValue);
    }

    /** The storage cost N·C·b raw against N·log2 K + K·C·b coded. */
    public static Cost cost(long vectors, int k, int channels, int bitsPerValue) {
        if (vectors < 1 || k < 1 || channels < 1 || bitsPerValue < 1) {
            throw Check.fail(OP, "cost needs positive sizes", "N = " + vectors + ", K = " + k + ", C = " + channels
                    + ", b = " + bitsPerValue, "all >= 1");
        }
        double raw = (double) vectors * channels * bitsPerValue;
        double coded = vectors * (Math.log(k) / Math.log(2)) + (double) k * channels * bitsPerValue;
        return new Cost(vectors, k, channels, bitsPerValue, raw, coded);
    }
}

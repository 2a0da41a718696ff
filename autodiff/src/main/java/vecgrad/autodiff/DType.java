package vecgrad.autodiff;

/**
 * Element type of a {@link Tensor}: {@code F32} (the default, fast path) or {@code F64} (gradient checks,
 * scientific use). Ops never mix dtypes; casting is explicit with {@link Tensor#to(DType)}.
 */
public enum DType {
    F32("float32", Float.BYTES),
    F64("float64", Double.BYTES);

    private final String label;
    private final int bytes;

    DType(String label, int bytes) {
        this.label = label;
        this.bytes = bytes;
    }

    /** PyTorch's spelling, used in messages and conformance files: {@code float32} or {@code float64}. */
    public String label() {
        return label;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** Parses {@code float32}/{@code float64} (also {@code F32}/{@code F64}). */
    public static DType parse(String name) {
        for (DType type : values()) {
            if (type.label.equalsIgnoreCase(name) || type.name().equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw Check.fail("dtype", "unknown dtype", "'" + name + "'", "float32 or float64");
    }

    @Override
    public String toString() {
        return label;
    }
}

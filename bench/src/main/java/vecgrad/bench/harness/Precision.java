package vecgrad.bench.harness;

/** The floating-point type whose FMA peak a case is judged against, or none. */
public enum Precision {
    F32,
    F64,
    /** Not compute-bound in a way the FMA peak describes (memory-bound maps, tree codes, ...). */
    NONE
}

package vecgrad.bench.harness;

/**
 * What a run learned about one case, before the report derives ratios and GFLOP/s.
 *
 * @param benchCase the case
 * @param vecgrad   vecgrad's time, or null when its run failed
 * @param peer      the peer's time, or null when there is no peer, peers were off, or it failed
 * @param peerName  the peer's library name (with version), or null
 * @param flops     FLOPs of one operation (for peak cases: the count the benchmark reported); NaN if unknown
 * @param note      what the reader should know (defaulted parameters, a failure), or null
 */
public record Measurement(BenchCase benchCase, Timing vecgrad, Timing peer, String peerName, double flops, String note) {}

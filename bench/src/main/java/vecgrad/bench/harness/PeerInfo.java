package vecgrad.bench.harness;

/**
 * Which peer measured a group of cases, as the peer script reported it.
 *
 * @param script  the script under bench/peers/
 * @param threads threads it was pinned to
 * @param name    library name, e.g. {@code pytorch}
 * @param version library version
 * @param blas    the BLAS the process actually loaded (from threadpoolctl / torch's build config)
 */
public record PeerInfo(String script, int threads, String name, String version, String blas) {}

package vecgrad.bench.harness;

/**
 * The same work done by a Python peer.
 *
 * @param script file name under {@code bench/peers/}, e.g. {@code kernels_peer.py}
 * @param id     the case id the script understands (usually the vecgrad case id itself)
 */
public record PeerCase(String script, String id) {}

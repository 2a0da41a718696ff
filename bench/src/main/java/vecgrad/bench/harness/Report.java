package vecgrad.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark run as it is written to bench/results/: the machine, the peers, and per case the
 * times of both sides, their ratio, GFLOP/s and the fraction of the FMA peak.
 *
 * @param date         ISO date of the run
 * @param mode         full, quick or smoke
 * @param machine      where it ran
 * @param peakF32      measured FP32 FMA peak in GFLOP/s per thread count (empty when PeakFlops did not run)
 * @param peakF64      measured FP64 FMA peak in GFLOP/s per thread count
 * @param peers        the peers that ran
 * @param rows         one row per measured case, in run order
 * @param notAvailable cases that could not run here, with the reason
 */
public record Report(String date, String mode, Machine machine, Map<Integer, Double> peakF32, Map<Integer, Double> peakF64,
                     List<PeerInfo> peers, List<Row> rows, List<CaseSelection.Omitted> notAvailable) {
    /**
     * Below this fraction of the peak a case that has a peer is flagged: a kernel that fell back to boxed
     * vectors after a C1 bailout runs 50-100 times slow.
     */
    public static final double FAR_BELOW_PEAK = 0.05;

    public Report {
        peakF32 = java.util.Collections.unmodifiableMap(new TreeMap<>(peakF32));
        peakF64 = java.util.Collections.unmodifiableMap(new TreeMap<>(peakF64));
        peers = List.copyOf(peers);
        rows = List.copyOf(rows);
        notAvailable = List.copyOf(notAvailable);
    }

    /**
     * One case in the report. Numbers that do not apply are NaN (written as null).
     *
     * @param id           case id
     * @param vecgrad      vecgrad's time, or null when it failed
     * @param peerName     the peer's name, or null
     * @param peer         the peer's time, or null
     * @param ratio        vecgrad median / peer median: below 1 means vecgrad is faster
     * @param gflops       vecgrad's GFLOP/s at its median time
     * @param peerGflops   the peer's GFLOP/s at its median time
     * @param peakFraction vecgrad's GFLOP/s over the measured peak for the same precision and threads
     * @param note         remarks (failures, defaulted parameters, a kernel far below peak), or null
     */
    public record Row(String id, Timing vecgrad, String peerName, Timing peer, double ratio, double gflops, double peerGflops,
                      double peakFraction, String note) {}

    /** Derives ratios, GFLOP/s and peak fractions from raw measurements. */
    public static Report of(String date, String mode, Machine machine, List<PeerInfo> peers, List<Measurement> measurements,
                            List<CaseSelection.Omitted> notAvailable) {
        Map<Integer, Double> peakF32 = new TreeMap<>();
        Map<Integer, Double> peakF64 = new TreeMap<>();
        for (Measurement m : measurements) {
            BenchCase c = m.benchCase();
            if (c.peak() && m.vecgrad() != null && !Double.isNaN(m.flops())) {
                double gflops = gflops(m.flops(), m.vecgrad().medianMs());
                (c.precision() == Precision.F32 ? peakF32 : peakF64).put(c.threads(), gflops);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Measurement m : measurements) {
            BenchCase c = m.benchCase();
            double ours = m.vecgrad() == null ? Double.NaN : m.vecgrad().medianMs();
            double theirs = m.peer() == null ? Double.NaN : m.peer().medianMs();
            double gflops = gflops(m.flops(), ours);
            Double peak = switch (c.precision()) {
                case F32 -> peakF32.get(c.threads());
                case F64 -> peakF64.get(c.threads());
                case NONE -> null;
            };
            double fraction = peak == null ? Double.NaN : gflops / peak;
            String note = m.note();
            // only the kernels that race a peer; scalar baselines are slow by design
            if (!c.peak() && c.peer() != null && fraction < FAR_BELOW_PEAK) {
                note = join(note, String.format("FAR BELOW PEAK (%.1f%%): check for a C1 bailout / boxed vectors", 100 * fraction));
            }
            rows.add(new Row(c.id(), m.vecgrad(), m.peer() == null ? null : m.peerName(), m.peer(), ratio(ours, theirs), gflops,
                    gflops(m.flops(), theirs), fraction, note));
        }
        return new Report(date, mode, machine, peakF32, peakF64, peers, rows, notAvailable);
    }

    /** vecgrad time over peer time; NaN when either is missing or the peer's time is zero. */
    public static double ratio(double vecgradMs, double peerMs) {
        if (Double.isNaN(vecgradMs) || Double.isNaN(peerMs) || peerMs <= 0) {
            return Double.NaN;
        }
        return vecgradMs / peerMs;
    }

    /** GFLOP/s of an operation of {@code flops} FLOPs taking {@code ms} milliseconds; NaN when unknown. */
    public static double gflops(double flops, double ms) {
        if (Double.isNaN(flops) || Double.isNaN(ms) || ms <= 0) {
            return Double.NaN;
        }
        return flops / (ms * 1e6);
    }

    /** The peak measured with the most threads, or NaN. */
    static double headlinePeak(Map<Integer, Double> byThreads) {
        return byThreads.isEmpty() ? Double.NaN : byThreads.get(java.util.Collections.max(byThreads.keySet()));
    }

    private static String join(String a, String b) {
        return a == null || a.isEmpty() ? b : a + "; " + b;
    }
}

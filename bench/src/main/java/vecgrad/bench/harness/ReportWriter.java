package vecgrad.bench.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a {@link Report} as JSON and as a Markdown table, each file atomically. */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    /** The report as the JSON document described in bench/README.md. */
    public static String json(Report report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "vecgrad-bench/1");
        root.put("date", report.date());
        root.put("mode", report.mode());
        Machine m = report.machine();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpu", m.cpu());
        machine.put("cores", m.cores());
        machine.put("jdk", m.jdk());
        machine.put("vector_bits", m.vectorBits());
        machine.put("host", m.host());
        machine.put("peak_gflops_f32", number(Report.headlinePeak(report.peakF32())));
        machine.put("peak_gflops_f64", number(Report.headlinePeak(report.peakF64())));
        machine.put("peak_gflops_by_threads", Map.of("f32", byThreads(report.peakF32()), "f64", byThreads(report.peakF64())));
        machine.put("env", m.env());
        root.put("machine", machine);
        List<Object> peers = new ArrayList<>();
        for (PeerInfo p : report.peers()) {
            Map<String, Object> peer = new LinkedHashMap<>();
            peer.put("script", p.script());
            peer.put("threads", p.threads());
            peer.put("name", p.name());
            peer.put("version", p.version());
            peer.put("blas", p.blas());
            peers.add(peer);
        }
        root.put("peers", peers);
        List<Object> cases = new ArrayList<>();
        for (Report.Row row : report.rows()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", row.id());
            c.put("vecgrad", timing(row.vecgrad(), null));
            c.put("peer", timing(row.peer(), row.peerName()));
            c.put("ratio", number(row.ratio()));
            c.put("gflops", number(row.gflops()));
            c.put("peer_gflops", number(row.peerGflops()));
            c.put("peak_fraction", number(row.peakFraction()));
            c.put("note", row.note());
            cases.add(c);
        }
        root.put("cases", cases);
        List<Object> missing = new ArrayList<>();
        for (CaseSelection.Omitted o : report.notAvailable()) {
            missing.add(Map.of("id", o.id(), "reason", o.reason()));
        }
        root.put("not_available", missing);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report as Markdown: a header on the machine and peers, one table row per case, what did not run. */
    public static String markdown(Report report) {
        Machine m = report.machine();
        StringBuilder md = new StringBuilder();
        md.append("# vecgrad benchmarks, ").append(report.date()).append(", ").append(m.host()).append(" (")
                .append(report.mode()).append(")\n\n");
        md.append("- CPU: ").append(m.cpu()).append(", ").append(m.cores()).append(" cores; JDK ").append(m.jdk())
                .append("; SIMD ").append(m.vectorBits()).append(" bits\n");
        md.append("- FMA peak (GFLOP/s by threads): f32 ").append(peaks(report.peakF32())).append(", f64 ")
                .append(peaks(report.peakF64())).append('\n');
        for (PeerInfo p : report.peers()) {
            md.append("- peer ").append(p.script()).append(" (").append(p.threads()).append(p.threads() == 1 ? " thread): " : " threads): ").append(p.name())
                    .append(' ').append(p.version()).append(", BLAS ").append(p.blas()).append('\n');
        }
        if (!m.env().isEmpty()) {
            md.append("- environment: ");
            m.env().forEach((k, v) -> md.append(k).append('=').append(v).append(' '));
            md.setLength(md.length() - 1);
            md.append('\n');
        }
        md.append("\nTimes are per operation in ms: median [min, max]. ratio = vecgrad / peer (below 1: vecgrad is faster).")
                .append(" peak = fraction of the measured FMA peak for the same precision and threads.\n\n");
        md.append("| case | vecgrad ms | peer | peer ms | ratio | GFLOP/s | peer GFLOP/s | peak | note |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (Report.Row row : report.rows()) {
            md.append("| ").append(row.id())
                    .append(" | ").append(cell(row.vecgrad()))
                    .append(" | ").append(row.peerName() == null ? "-" : row.peerName())
                    .append(" | ").append(cell(row.peer()))
                    .append(" | ").append(fixed(row.ratio(), 2))
                    .append(" | ").append(fixed(row.gflops(), 1))
                    .append(" | ").append(fixed(row.peerGflops(), 1))
                    .append(" | ").append(fixed(row.peakFraction(), 2))
                    .append(" | ").append(row.note() == null ? "" : row.note().replace("|", "\\|"))
                    .append(" |\n");
        }
        if (!report.notAvailable().isEmpty()) {
            md.append("\n## Not run\n\n");
            for (CaseSelection.Omitted o : report.notAvailable()) {
                md.append("- ").append(o.id()).append(": ").append(o.reason()).append('\n');
            }
        }
        return md.toString();
    }

    /** Writes text to a temporary file beside {@code target}, then renames it over the target. */
    public static void writeAtomically(Path target, String text) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The Markdown file that goes beside a JSON report: same name, {@code .md}. */
    public static Path markdownBeside(Path json) {
        String name = json.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(stem + ".md");
    }

    private static Map<String, Object> timing(Timing t, String name) {
        if (t == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        if (name != null) {
            map.put("name", name);
        }
        map.put("median_ms", t.medianMs());
        map.put("min_ms", t.minMs());
        map.put("max_ms", t.maxMs());
        map.put("samples", t.samples());
        return map;
    }

    private static Map<String, Object> byThreads(Map<Integer, Double> peaks) {
        Map<String, Object> map = new LinkedHashMap<>();
        peaks.forEach((threads, gflops) -> map.put(String.valueOf(threads), gflops));
        return map;
    }

    private static Double number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }

    private static String cell(Timing t) {
        if (t == null) {
            return "-";
        }
        return significant(t.medianMs()) + " [" + significant(t.minMs()) + ", " + significant(t.maxMs()) + "]";
    }

    private static String peaks(Map<Integer, Double> byThreads) {
        if (byThreads.isEmpty()) {
            return "not measured";
        }
        StringBuilder text = new StringBuilder();
        byThreads.forEach((threads, gflops) -> text.append(text.isEmpty() ? "" : ", ").append(fixed(gflops, 1))
                .append(" (").append(threads).append(threads == 1 ? " thread)" : " threads)"));
        return text.toString();
    }

    /** Three significant digits, no exponent for the usual range of milliseconds. */
    static String significant(double value) {
        if (value == 0) {
            return "0";
        }
        int digits = Math.max(0, 2 - (int) Math.floor(Math.log10(Math.abs(value))));
        return String.format(Locale.ROOT, "%." + Math.min(digits, 6) + "f", value);
    }

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}

package vecgrad.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Python peers in bench/peers/: making sure they are installed, running one script on a list of
 * case ids with pinned threads, and reading its JSON.
 *
 * <p>Protocol: {@code /usr/bin/python3 bench/peers/<suite>_peer.py --threads N --ids id1,id2 [--quick]}
 * prints {@code {"peer": {"name", "version", "blas"}, "cases": [{"id", "median_ms", "min_ms", "max_ms",
 * "samples"}]}} on stdout; progress and errors go to stderr.
 */
public final class Peers {
    /** The Debian interpreter: Debian's python3-torch and python3-sklearn live there, not in other pythons. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");
    /** What the runner installs when a peer's modules are missing (as root). */
    public static final List<String> APT_PACKAGES = List.of("python3-torch", "python3-sklearn", "python3-scipy",
            "python3-threadpoolctl", "libopenblas0", "dataset-fashion-mnist");
    /** Fashion-MNIST from Debian's dataset-fashion-mnist: the k-means and t-SNE benchmarks and peers both read it. */
    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final PrintStream progress;
    private final Map<String, String> unavailable = new LinkedHashMap<>();

    /** Peers whose scripts live in {@code dir}; progress and install messages go to {@code progress}. */
    public Peers(Path dir, PrintStream progress) {
        this.dir = dir;
        this.progress = progress;
    }

    /** One script's answer: who measured, and the time per case id. */
    public record Answer(PeerInfo info, Map<String, Timing> timings) {}

    /** Python modules a script needs. */
    static List<String> modules(String script) {
        return script.startsWith("cluster") ? List.of("numpy", "sklearn", "scipy", "threadpoolctl") : List.of("numpy", "torch");
    }

    /**
     * Makes the scripts runnable: installs the Debian packages when a module is missing and this
     * process is root, otherwise explains what to install. Returns script to reason for the ones that
     * cannot run (empty when all can).
     */
    public Map<String, String> prepare(Set<String> scripts) {
        unavailable.clear();
        Set<String> missing = new LinkedHashSet<>();
        for (String script : scripts) {
            if (!Files.isRegularFile(dir.resolve(script))) {
                unavailable.put(script, "peer script " + dir.resolve(script) + " not found");
            }
        }
        if (!Files.isExecutable(PYTHON)) {
            for (String script : scripts) {
                unavailable.putIfAbsent(script, PYTHON + " not found (install python3)");
            }
            return Map.copyOf(unavailable);
        }
        Set<String> present = new LinkedHashSet<>(scripts);
        present.removeAll(unavailable.keySet());
        if (present.isEmpty()) {
            return Map.copyOf(unavailable);
        }
        Set<String> needed = new LinkedHashSet<>();
        present.forEach(script -> needed.addAll(modules(script)));
        missing.addAll(missingModules(List.copyOf(needed)));
        boolean openblas = hasOpenBlas();
        boolean fashion = Files.exists(FASHION_MNIST) || present.stream().noneMatch(s -> s.startsWith("cluster"));
        if (!missing.isEmpty() || !openblas || !fashion) {
            String what = (missing.isEmpty() ? "" : "Python modules " + missing + " ") + (openblas ? "" : "libopenblas0 ")
                    + (fashion ? "" : "dataset-fashion-mnist ");
            if (isRoot() && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
                progress.println("bench: peers need " + what.trim() + "; installing " + String.join(" ", APT_PACKAGES)
                        + " with apt-get (a few minutes, once)");
                install();
                missing = new LinkedHashSet<>(missingModules(List.copyOf(needed)));
                if (!hasOpenBlas()) {
                    progress.println("bench: warning: libopenblas0 is still missing; the peers fall back to the slow "
                            + "reference BLAS and every ratio flatters vecgrad");
                }
            } else {
                progress.println("bench: peers need " + what.trim() + " and this process cannot install them (not root). "
                        + "Run: sudo apt-get install -y " + String.join(" ", APT_PACKAGES)
                        + "  -- until then the report shows peer = null");
            }
        }
        for (String script : scripts) {
            List<String> lacking = new ArrayList<>(modules(script));
            lacking.retainAll(missing);
            if (!lacking.isEmpty()) {
                unavailable.putIfAbsent(script, "Python modules " + lacking + " missing for " + PYTHON
                        + " (apt-get install -y " + String.join(" ", APT_PACKAGES) + ")");
            }
        }
        return Map.copyOf(unavailable);
    }

    /** Runs a script on the given ids with {@code threads} threads and returns what it measured. */
    public Answer run(String script, int threads, List<String> ids, boolean quick) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), dir.resolve(script).toString(),
                "--threads", String.valueOf(threads), "--ids", String.join(",", ids)));
        if (quick) {
            command.add("--quick");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        // Same thread count for every pool the peer may use; OPENBLAS_CORETYPE and friends stay as set.
        for (String name : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            builder.environment().put(name, String.valueOf(threads));
        }
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        long minutes = quick ? 15 : 120;
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(script + " did not finish within " + minutes + " minutes");
        }
        String out = stdout.join();
        if (process.exitValue() != 0) {
            throw new IOException(script + " exited with status " + process.exitValue() + " (its stderr is above)");
        }
        return parse(script, threads, out);
    }

    /** Reads a peer script's JSON answer. */
    public static Answer parse(String script, int threads, String json) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IOException(script + " printed no valid JSON on stdout: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        JsonNode peer = root.path("peer");
        JsonNode cases = root.path("cases");
        if (!peer.isObject() || !cases.isArray()) {
            throw new IOException(script + ": expected {\"peer\": {...}, \"cases\": [...]}; got " + abbreviate(json));
        }
        PeerInfo info = new PeerInfo(script, threads, peer.path("name").asText("?"), peer.path("version").asText("?"),
                peer.path("blas").asText("?"));
        Map<String, Timing> timings = new LinkedHashMap<>();
        for (JsonNode c : cases) {
            String id = c.path("id").asText(null);
            if (id == null || !c.path("median_ms").isNumber()) {
                throw new IOException(script + ": a case without id or median_ms: " + abbreviate(c.toString()));
            }
            timings.put(id, new Timing(c.path("median_ms").asDouble(), c.path("min_ms").asDouble(),
                    c.path("max_ms").asDouble(), c.path("samples").asInt(1)));
        }
        return new Answer(info, timings);
    }

    /**
     * The modules {@link #PYTHON} cannot find, asked of one interpreter without importing them (importing
     * torch alone takes seconds; a module that is found but broken fails its peer run, which is reported).
     */
    static List<String> missingModules(List<String> modules) {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c",
                "import importlib.util, sys; print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))"));
        command.addAll(modules);
        String out = output(command);
        if (out == null) {
            return List.copyOf(modules); // the interpreter itself did not run
        }
        List<String> missing = new ArrayList<>();
        for (String word : out.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                missing.add(word);
            }
        }
        return missing;
    }

    private static boolean hasOpenBlas() {
        return Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libopenblas.so.0"))
                || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libopenblas.so.0"))
                || String.valueOf(output(List.of("dpkg-query", "-W", "-f=${Status}", "libopenblas0"))).contains("install ok installed");
    }

    private void install() {
        List<List<String>> steps = List.of(List.of("apt-get", "update", "-qq"),
                concat(List.of("apt-get", "install", "-y", "-q"), APT_PACKAGES));
        for (List<String> step : steps) {
            try {
                ProcessBuilder builder = new ProcessBuilder(step).redirectErrorStream(true);
                builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
                Process process = builder.start();
                process.getOutputStream().close();
                String out = readAll(process.getInputStream());
                if (process.waitFor() != 0) {
                    progress.println("bench: '" + String.join(" ", step) + "' failed:\n" + tail(out, 20));
                    return;
                }
            } catch (IOException e) {
                progress.println("bench: could not run " + String.join(" ", step) + ": " + e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static boolean isRoot() {
        try {
            Process process = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = readAll(process.getInputStream()).trim();
            return process.waitFor() == 0 && out.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The command's combined output when it exits with status 0 within two minutes, else null. */
    private static String output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? out.join() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}

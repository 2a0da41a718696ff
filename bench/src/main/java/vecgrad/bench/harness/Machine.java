package vecgrad.bench.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import vecgrad.kernels.Simd;

/**
 * The machine a report was measured on.
 *
 * @param cpu        CPU model name
 * @param cores      processors the JVM sees
 * @param jdk        vendor and version of the JVM running the benchmarks
 * @param vectorBits width of the vectors the kernels use
 * @param host       host name (also part of the report's file name)
 * @param env        environment variables that change the peers' BLAS (OPENBLAS_CORETYPE, ...), as set
 */
public record Machine(String cpu, int cores, String jdk, int vectorBits, String host, Map<String, String> env) {
    /** Environment variables recorded because they change what the peers' BLAS does. */
    public static final String[] BLAS_ENV = {"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_VERBOSE", "GOTOBLAS_CORETYPE",
        "MKL_DEBUG_CPU_TYPE"};

    public Machine {
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** Reads this machine's description. */
    public static Machine current() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : BLAS_ENV) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        String jdk = System.getProperty("java.vm.vendor", "?") + " " + Runtime.version();
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), jdk, Simd.BITS, hostName(), env);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through to the JVM's architecture name
        }
        return System.getProperty("os.arch", "unknown");
    }

    /** Host name for file names: letters, digits, '-' and '.' only. */
    static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = Files.readString(Path.of("/etc/hostname")).trim();
            } catch (IOException | RuntimeException e) {
                name = null;
            }
        }
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "localhost";
            }
        }
        String safe = name.replaceAll("[^A-Za-z0-9.-]", "_");
        return safe.isEmpty() ? "localhost" : safe;
    }
}

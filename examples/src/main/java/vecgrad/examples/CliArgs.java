package vecgrad.examples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of one command, checked against the names the command knows. */
final class CliArgs {
    private final Map<String, String> values = new HashMap<>();

    CliArgs(String[] args, Set<String> known) {
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || !known.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option '" + name + "' (see --help)");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value (see --help)");
            }
            values.put(name.substring(2), args[++i]);
        }
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " expects an integer; got '" + v + "'");
        }
    }

    long seed() {
        String v = values.get("seed");
        try {
            return v == null ? 42L : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed expects an integer; got '" + v + "'");
        }
    }

    Path outDir(String fallback) {
        return Path.of(values.getOrDefault("out", fallback));
    }
}

package vecgrad.verify;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the project's {@code shared/} folder (conformance cases, seeds, data), which lives beside
 * the clone: {@code -Dvecgrad.shared} if that folder exists, else the first {@code shared/} beside
 * the working directory or one of its parents, else {@code /work/shared}.
 */
public final class SharedDir {
    private SharedDir() {}

    public static Path find() {
        String property = System.getProperty("vecgrad.shared");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property).normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("conformance"))) {
                return candidate.normalize();
            }
        }
        Path fallback = Path.of("/work/shared");
        if (Files.isDirectory(fallback)) {
            return fallback;
        }
        throw new IllegalStateException("shared folder not found: set -Dvecgrad.shared=DIR (it holds conformance/, seeds/, data/)");
    }

    /** A path inside the shared folder, e.g. {@code resolve("conformance/cases")}. */
    public static Path resolve(String relative) {
        return find().resolve(relative);
    }
}

package vecgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import vecgrad.kernels.Simd;

/**
 * STYLE.md §3.6: every public {@code <Family>Kernels} class in {@code vecgrad.kernels} has a
 * {@code <Family>Reference} with a public static twin (same name, parameter types and return type)
 * for each of its public static methods. The families are found by listing the kernels module's
 * classes (its directory or jar, located through {@link Simd}), so families added later are checked
 * without editing this test.
 */
class KernelTwinTest {
    private static final String PACKAGE = "vecgrad.kernels";

    /** Simple names of every top-level class named {@code *Kernels} in the kernels module. */
    static List<String> kernelClassNames() throws IOException, URISyntaxException {
        Path root = Path.of(Simd.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String folder = PACKAGE.replace('.', '/') + "/";
        TreeSet<String> names = new TreeSet<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.list(root.resolve(folder))) {
                files.map(file -> file.getFileName().toString()).forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                jar.stream().map(JarEntry::getName)
                        .filter(entry -> entry.startsWith(folder) && entry.indexOf('/', folder.length()) < 0)
                        .map(entry -> entry.substring(folder.length())).forEach(names::add);
            }
        }
        return names.stream().filter(file -> file.endsWith("Kernels.class") && !file.contains("$"))
                .map(file -> file.substring(0, file.length() - ".class".length())).toList();
    }

    /**
     * Public static methods of {@code kernels} with no public static twin in {@code reference}, as
     * readable signatures; every method is missing when {@code reference} is null.
     */
    static List<String> missingTwins(Class<?> kernels, Class<?> reference) {
        List<String> missing = new ArrayList<>();
        for (Method method : kernels.getDeclaredMethods()) {
            int modifiers = method.getModifiers();
            if (!Modifier.isPublic(modifiers) || !Modifier.isStatic(modifiers) || method.isSynthetic()) {
                continue;
            }
            if (!hasTwin(method, reference)) {
                missing.add(signature(kernels, method));
            }
        }
        missing.sort(null);
        return missing;
    }

    private static boolean hasTwin(Method method, Class<?> reference) {
        if (reference == null) {
            return false;
        }
        try {
            Method twin = reference.getDeclaredMethod(method.getName(), method.getParameterTypes());
            int modifiers = twin.getModifiers();
            return Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers)
                    && twin.getReturnType() == method.getReturnType();
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static String signature(Class<?> owner, Method method) {
        return owner.getSimpleName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    @Test
    void everyKernelHasAScalarReferenceTwin() throws Exception {
        List<String> families = kernelClassNames();
        for (String expected : List.of("ElementwiseKernels", "ReduceKernels", "SoftmaxKernels", "DistanceKernels",
                "GemmKernels")) {
            assertTrue(families.contains(expected), "the class scan missed " + expected + "; found " + families);
        }
        List<String> missing = new ArrayList<>();
        for (String name : families) {
            Class<?> kernels = Class.forName(PACKAGE + "." + name);
            if (!Modifier.isPublic(kernels.getModifiers())) {
                continue;
            }
            String referenceName = PACKAGE + "." + name.substring(0, name.length() - "Kernels".length()) + "Reference";
            Class<?> reference;
            try {
                reference = Class.forName(referenceName);
            } catch (ClassNotFoundException e) {
                reference = null;
            }
            missing.addAll(missingTwins(kernels, reference));
        }
        assertEquals(List.of(), missing, "kernel methods without a twin of the same signature in their Reference");
    }

    /** A pair with one twin missing and one with different parameter types: the checker must name both. */
    static final class FakeKernels {
        public static void scale(float[] x, int xOff, int n) {}

        public static void scale(double[] x, int xOff, int n) {}

        public static float sum(float[] x, int xOff, int n) {
            return 0;
        }

        public static void shift(float[] x, int xOff, int n) {}

        static void helperNeedsNoTwin() {}
    }

    static final class FakeReference {
        public static void scale(float[] x, int xOff, int n) {}

        public static void sum(float[] x, int xOff, int n) {} // wrong return type

        public static void shift(float[] x, long xOff, int n) {} // wrong parameter type
    }

    @Test
    void theTwinCheckNamesMissingTwins() {
        assertEquals(List.of("FakeKernels.scale(double[], int, int)", "FakeKernels.shift(float[], int, int)",
                "FakeKernels.sum(float[], int, int)"), missingTwins(FakeKernels.class, FakeReference.class));
        assertEquals(4, missingTwins(FakeKernels.class, null).size(), "a missing Reference class misses every twin");
        assertEquals(List.of(), missingTwins(FakeReference.class, FakeReference.class));
    }
}

package vecgrad.kernels;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The one thread pool every kernel shares.
 *
 * <p>Work is always cut into a fixed number of chunks chosen by the caller from the problem size,
 * never from the thread count; threads only decide <em>who</em> runs a chunk. Each chunk writes
 * its own part of the output, and combined results (reductions) are merged in chunk order by the
 * caller, so outputs are bit-identical for any {@code -Dvecgrad.threads}.
 *
 * <p>The size comes from {@code -Dvecgrad.threads} (default: available processors). Tests change
 * it for the current thread with {@link #withThreads(int)}. A chunk that calls back into
 * {@code Parallel} runs its inner work inline, so nested kernels never wait on a busy pool.
 */
public final class Parallel {
    private static final int DEFAULT_THREADS = chooseThreads();
    private static final ThreadLocal<Integer> OVERRIDE = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);
    private static final ExecutorService POOL = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(() -> {
            IN_WORKER.set(true);
            runnable.run();
        }, "vecgrad-worker");
        thread.setDaemon(true);
        return thread;
    });

    private Parallel() {}

    private static int chooseThreads() {
        int available = Runtime.getRuntime().availableProcessors();
        int requested = Integer.getInteger("vecgrad.threads", available);
        if (requested < 1) {
            throw new IllegalArgumentException("vecgrad.threads: got " + requested + ", expected >= 1");
        }
        return requested;
    }

    /** Threads a parallel kernel called from this thread may use. */
    public static int threads() {
        Integer override = OVERRIDE.get();
        return override != null ? override : DEFAULT_THREADS;
    }

    /**
     * Sets the thread count for kernels called from the current thread until the returned scope
     * closes. For tests of thread-count independence and for benchmarks of 1 vs N threads.
     */
    public static Scope withThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Parallel.withThreads: got " + threads + ", expected >= 1");
        }
        Integer previous = OVERRIDE.get();
        OVERRIDE.set(threads);
        return () -> OVERRIDE.set(previous);
    }

    /** Restores the previous thread count on close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Runs {@code body.accept(chunk)} for every chunk in {@code [0, chunks)}, on up to
     * {@link #threads()} threads, and returns when all are done. Chunks must write disjoint
     * outputs. The first exception thrown by a chunk is rethrown here.
     */
    public static void forEach(int chunks, IntConsumer body) {
        if (chunks < 0) {
            throw new IllegalArgumentException("Parallel.forEach: chunks must be >= 0; got " + chunks);
        }
        int workers = Math.min(threads(), chunks);
        if (workers <= 1 || IN_WORKER.get()) {
            for (int chunk = 0; chunk < chunks; chunk++) {
                body.accept(chunk);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int chunk = next.getAndIncrement(); chunk < chunks; chunk = next.getAndIncrement()) {
                body.accept(chunk);
            }
        };
        @SuppressWarnings("unchecked")
        Future<?>[] helpers = new Future<?>[workers - 1];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = POOL.submit(drain);
        }
        RuntimeException failure = null;
        boolean wasWorker = IN_WORKER.get();
        IN_WORKER.set(true); // the caller drains too; nested calls from its chunks run inline
        try {
            drain.run();
        } catch (RuntimeException | Error e) {
            failure = e instanceof RuntimeException r ? r : new RuntimeException(e);
            next.set(chunks); // stop handing out chunks
        } finally {
            IN_WORKER.set(wasWorker);
        }
        for (Future<?> helper : helpers) {
            try {
                helper.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Parallel.forEach: interrupted while waiting for workers", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    Throwable cause = e.getCause();
                    failure = cause instanceof RuntimeException r ? r : new RuntimeException(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Number of chunks of at most {@code chunkSize} items that cover {@code items}. */
    public static int chunks(int items, int chunkSize) {
        return items == 0 ? 0 : (items + chunkSize - 1) / chunkSize;
    }
}

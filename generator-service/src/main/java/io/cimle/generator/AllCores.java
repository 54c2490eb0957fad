package io.cimle.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a list of jobs on every core: the calling thread and one helper per other core take jobs from the
 * list until none is left, so a short list does not wait for a pool thread to wake. The helpers are a pool
 * of their own, not the common pool: on a 2-core host its parallelism is 1, and then
 * {@code CompletableFuture.supplyAsync} starts a new thread for every task.
 */
final class AllCores {
    private final ExecutorService helpers;
    /** Helpers a run starts at most. */
    private final int count;

    /** Helper threads are daemons named {@code prefix} and a number. */
    AllCores(String prefix) {
        this(Runtime.getRuntime().availableProcessors() - 1, prefix);
    }

    AllCores(int helpers, String prefix) {
        this.count = helpers;
        this.helpers = Executors.newFixedThreadPool(Math.max(1, helpers), daemons(prefix));
    }

    /**
     * Runs each job once, on the helpers and on this thread; returns when all have run. After
     * {@link #shutdown()}, this thread runs them all.
     */
    void run(List<Runnable> jobs) {
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int k; (k = next.getAndIncrement()) < jobs.size(); ) {
                jobs.get(k).run();
            }
        };
        int helping = Math.min(jobs.size() - 1, count);
        List<CompletableFuture<Void>> running = new ArrayList<>(Math.max(0, helping));
        try {
            for (int h = 0; h < helping; h++) {
                running.add(CompletableFuture.runAsync(drain, helpers));
            }
        } catch (RejectedExecutionException e) {
            // Stopping: this thread runs the rest.
        }
        drain.run();
        running.forEach(CompletableFuture::join);
    }

    void shutdown() {
        helpers.shutdown();
    }

    /** Daemon threads named {@code prefix} and a number. */
    static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

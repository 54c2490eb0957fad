package io.cimle.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Jobs run once each, on the helpers and the calling thread, and still run once the helpers are gone. */
class AllCoresTest {

    private static List<Runnable> jobs(AtomicIntegerArray runs, Set<String> threads) {
        List<Runnable> jobs = new ArrayList<>();
        for (int i = 0; i < runs.length(); i++) {
            int k = i;
            jobs.add(() -> {
                runs.incrementAndGet(k);
                threads.add(Thread.currentThread().getName());
            });
        }
        return jobs;
    }

    @Test
    void eachJobRunsOnceAndAllHaveRunOnReturn() {
        AllCores cores = new AllCores(3, "test-");
        AtomicIntegerArray runs = new AtomicIntegerArray(200);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        cores.run(jobs(runs, threads));
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "job " + i);
        }
        assertTrue(threads.stream().allMatch(t -> t.startsWith("test-") || t.equals(Thread.currentThread().getName())), threads.toString());
        cores.shutdown();
    }

    @Test
    void afterShutdownTheCallerRunsThemAll() {
        AllCores cores = new AllCores(2, "test-");
        cores.shutdown();
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        cores.run(jobs(runs, threads));
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i));
        }
        assertEquals(Set.of(Thread.currentThread().getName()), threads);
    }

    @Test
    void noJobsIsNothingToDo() {
        AllCores cores = new AllCores(2, "test-");
        cores.run(List.of());
        cores.shutdown();
    }
}

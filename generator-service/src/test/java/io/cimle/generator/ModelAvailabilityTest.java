package io.cimle.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ModelAvailabilityTest {
    @Test
    void requestsWaitUntilTheStoreHasBeenReadAndWhileAModelLoads() {
        ModelAvailability a = new ModelAvailability();
        assertFalse(a.answerable(), "before the first look at the store nothing is known");
        a.loading();
        assertFalse(a.answerable(), "a model exists and is loading: wait");
        a.serving();
        assertTrue(a.answerable());
        a.unknown();
        a.loading();
        a.noneStored(System.nanoTime());
        assertEquals(ModelAvailability.State.SERVING, a.state(), "once serving, a later failure or look changes nothing");
    }

    @Test
    void anEmptyStoreIsLookedAtAgainForRequestsThatArrivedAfterTheLook() {
        ModelAvailability a = new ModelAvailability();
        long look = System.nanoTime();
        a.noneStored(look);
        assertTrue(a.answerable(), "no model stored: refuse at once");
        assertFalse(a.emptyOnlyBefore(look - 1), "a request from before the look is covered by it");
        assertTrue(a.emptyOnlyBefore(look + 1), "a request after the look needs a new one");
        a.loading();
        assertFalse(a.emptyOnlyBefore(look + 1));
        assertFalse(a.answerable());
    }

    @Test
    void waitersAreWokenWhenTheModelIsIn() throws Exception {
        ModelAvailability a = new ModelAvailability();
        a.loading();
        assertFalse(a.await(20));
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return a.await(10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        a.serving();
        assertTrue(waiter.get(5, TimeUnit.SECONDS));
    }
}

package io.slatedb.util;

import io.slatedb.store.DelayScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thread-backed {@link DelayScheduler}. */
@Timeout(30)
class ExecutorDelaySchedulerTest {

    @Test
    void aDelayCompletesAfterAtLeastItsDuration() throws Exception {
        try (DelayScheduler scheduler = DelayScheduler.create("test-delay")) {
            long start = scheduler.nanoTime();

            scheduler.after(Duration.ofMillis(20)).get(10, TimeUnit.SECONDS);

            assertTrue(scheduler.nanoTime() - start >= Duration.ofMillis(20).toNanos());
            scheduler.after(Duration.ZERO).get(10, TimeUnit.SECONDS);
            scheduler.after(Duration.ofMillis(-5)).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void closingFailsPendingDelaysAndLaterOnes() {
        DelayScheduler scheduler = DelayScheduler.create("test-delay");
        CompletableFuture<Void> pending = scheduler.after(Duration.ofDays(365_000));
        assertFalse(pending.isDone());

        scheduler.close();
        scheduler.close();

        ExecutionException pendingFailure = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SchedulerClosedException.class, pendingFailure.getCause());
        assertTrue(scheduler.after(Duration.ofMillis(1)).isCompletedExceptionally());
    }
}

package io.slatedb.util;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class LeasedExecutorTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        timer.shutdownNow();
        pool.shutdownNow();
    }

    @Test
    void aLeaseOfOneRunsItsTasksOneAtATimeInOrder() throws Exception {
        LeasedExecutor lease = new LeasedExecutor("serial", pool, timer, 1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        StringBuffer order = new StringBuffer();
        CompletableFuture<?>[] tasks = new CompletableFuture<?>[20];
        for (int i = 0; i < tasks.length; i++) {
            int n = i;
            tasks[i] = CompletableFuture.runAsync(() -> {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                order.append(n).append(',');
                concurrent.decrementAndGet();
            }, lease);
        }
        CompletableFuture.allOf(tasks).join();
        assertEquals(1, maxConcurrent.get());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < tasks.length; i++) {
            expected.append(i).append(',');
        }
        assertEquals(expected.toString(), order.toString());
    }

    @Test
    void aBlockedLeaseDoesNotHoldBackAnotherLeasesTimer() throws Exception {
        LeasedExecutor slow = new LeasedExecutor("slow", pool, timer, 1);
        LeasedExecutor other = new LeasedExecutor("other", pool, timer, 1);
        CountDownLatch slowRunning = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        // The slow task is due first and blocks; it must block a pool thread, not the timer thread.
        slow.schedule(() -> {
            slowRunning.countDown();
            releaseSlow.await();
            return null;
        }, 0, TimeUnit.MILLISECONDS);
        slowRunning.await();
        CountDownLatch ticked = new CountDownLatch(3);
        other.scheduleWithFixedDelay(ticked::countDown, 1, 1, TimeUnit.MILLISECONDS);
        ticked.await();
        releaseSlow.countDown();
        slow.shutdown();
        other.shutdown();
        assertTrue(slow.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(other.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void parallelismCapsTheTasksOfOneLeaseRunningAtOnce() throws Exception {
        ExecutorService wide = Executors.newFixedThreadPool(4);
        try {
            LeasedExecutor lease = new LeasedExecutor("two", wide, timer, 2);
            CountDownLatch twoRunning = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger started = new AtomicInteger();
            for (int i = 0; i < 3; i++) {
                lease.execute(() -> {
                    started.incrementAndGet();
                    twoRunning.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            twoRunning.await();
            // Two tasks hold their slots: the third waits although the pool has free threads. A task on
            // the same pool outside the lease still runs, which shows the pool is not what holds it.
            CompletableFuture.runAsync(() -> { }, wide).join();
            assertEquals(2, started.get());
            release.countDown();
            lease.shutdown();
            assertTrue(lease.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(3, started.get());
        } finally {
            wide.shutdownNow();
        }
    }

    @Test
    void shutdownCancelsTimedTasksRunsSubmittedOnesAndLeavesThePoolRunning() throws Exception {
        LeasedExecutor lease = new LeasedExecutor("lease", pool, timer, 1);
        ScheduledFuture<?> periodic = lease.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.HOURS);
        CountDownLatch gate = new CountDownLatch(1);
        lease.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicInteger queuedRan = new AtomicInteger();
        lease.execute(queuedRan::incrementAndGet);
        lease.shutdown();
        assertTrue(periodic.isCancelled());
        assertThrows(RejectedExecutionException.class, () -> lease.execute(() -> { }));
        assertFalse(lease.isTerminated());
        gate.countDown();
        assertTrue(lease.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(1, queuedRan.get());
        assertFalse(pool.isShutdown());
        assertEquals(7, CompletableFuture.supplyAsync(() -> 7, pool).join());
    }

    @Test
    void shutdownNowDropsQueuedTasks() throws Exception {
        LeasedExecutor lease = new LeasedExecutor("lease", pool, timer, 1);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        lease.execute(() -> {
            running.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        running.await();
        Runnable queued = () -> { };
        lease.execute(queued);
        List<Runnable> dropped = lease.shutdownNow();
        assertEquals(List.of(queued), dropped);
        gate.countDown();
        assertTrue(lease.awaitTermination(10, TimeUnit.SECONDS));
    }
}

package io.slatedb.store;

import io.slatedb.testing.S3ProxyServer;
import io.slatedb.testing.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many writers racing to create one object on S3 (S3Proxy's filesystem backend makes
 * {@code If-None-Match: *} atomic): exactly one wins each round and the rest are told it exists.
 */
@ExtendWith(S3ProxyExtension.class)
@Timeout(120)
class S3CreateRaceTest {

    private static final int RACERS = 8;
    private static final int ROUNDS = 60;

    @Test
    void exactlyOneOfEightConcurrentCreatesWinsEveryRound(S3ProxyServer server) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(RACERS);
        // Through the retrying store users get: S3Proxy now and then closes a connection mid-request, and a
        // retried create still meets the others at the server (a retry that finds its own put counts as won).
        try (RetryingObjectStore store = server.openRetryingStoreOnFreshPrefix()) {
            for (int round = 0; round < ROUNDS; round++) {
                String path = String.format("manifest/%020d.manifest", round + 1);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<CompletableFuture<PutResult>>> submitted = new ArrayList<>();
                for (int racer = 0; racer < RACERS; racer++) {
                    byte[] body = ("racer " + racer).getBytes(StandardCharsets.UTF_8);
                    submitted.add(threads.submit(() -> {
                        start.await();
                        return store.put(path, body, PutOptions.CREATE);
                    }));
                }
                start.countDown();

                int winners = 0;
                String winningBody = null;
                for (int racer = 0; racer < RACERS; racer++) {
                    CompletableFuture<PutResult> put = submitted.get(racer).get(20, TimeUnit.SECONDS);
                    try {
                        put.get(20, TimeUnit.SECONDS);
                        winners++;
                        winningBody = "racer " + racer;
                    } catch (ExecutionException e) {
                        assertInstanceOf(ObjectAlreadyExistsException.class, e.getCause(),
                                "round " + round + ": a loser must see already-exists, not " + e.getCause());
                    }
                }
                assertEquals(1, winners, "round " + round);
                assertArrayEquals(winningBody.getBytes(StandardCharsets.UTF_8),
                        StoreFutures.await(store.get(path)).data(), "round " + round + ": the stored body is the winner's");
            }
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}

package io.slatedb.store;

import io.slatedb.testing.S3ProxyServer;
import io.slatedb.testing.S3ProxyExtension;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultRule;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.slatedb.store.StoreFutures.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retrying layer over the real S3 protocol: the put id travels as {@code x-amz-meta-slatedbputid}
 * and resolves lost responses, also while writers race. Backoff is shortened to milliseconds; nothing
 * sleeps.
 */
@ExtendWith(S3ProxyExtension.class)
@Timeout(120)
class RetryingS3ObjectStoreTest {

    private static final RetryPolicy FAST = RetryPolicy.DEFAULT.withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

    private final S3ProxyServer server;
    private S3ObjectStore s3;
    private FaultInjectingObjectStore faults;
    private RetryingObjectStore store;

    RetryingS3ObjectStoreTest(S3ProxyServer server) {
        this.server = server;
    }

    @BeforeEach
    void open() {
        s3 = server.openStoreOnFreshPrefix();
        faults = new FaultInjectingObjectStore(s3);
        store = new RetryingObjectStore(faults, FAST);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aCreateWhoseResponseWasLostIsRecognisedByItsPutId() {
        faults.inject(FaultRule.on(Operation.PUT, Fault.applyThenFail()).once());

        PutResult put = await(store.put("manifest/00000000000000000001.manifest", bytes("m1"), PutOptions.CREATE));

        ObjectMetadata stored = await(s3.head("manifest/00000000000000000001.manifest"));
        assertEquals(stored.etag(), put.etag());
        assertTrue(stored.userMetadata().containsKey(RetryingObjectStore.PUT_ID_METADATA), stored.toString());
        assertEquals(List.of(Operation.PUT, Operation.PUT, Operation.HEAD),
                faults.calls().stream().map(FaultInjectingObjectStore.Call::operation).toList());
    }

    @Test
    void anIfMatchPutWhoseResponseWasLostIsRecognisedByItsPutId() {
        PutResult first = await(store.put("gc/manifest.boundary", bytes("1"), PutOptions.CREATE));
        faults.inject(FaultRule.on(Operation.PUT, Fault.applyThenFail()).once());

        PutResult second = await(store.put("gc/manifest.boundary", bytes("2"), PutOptions.of(PutMode.ifMatch(first.etag()))));

        assertEquals(await(s3.head("gc/manifest.boundary")).etag(), second.etag());
        assertArrayEquals(bytes("2"), await(s3.get("gc/manifest.boundary")).data());
    }

    @Test
    void racingCreatorsWhoseResponsesGetLostStillHaveExactlyOneWinner() throws Exception {
        // Writes that happen but answer with an error, and failures that never reach S3.
        faults.inject(FaultRule.on(Operation.PUT, Fault.applyThenFail()).withProbability(0.3));
        faults.inject(FaultRule.on(Operation.PUT, Fault.failTransiently()).withProbability(0.2));
        int racers = 8;
        ExecutorService threads = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < 25; round++) {
                String path = String.format("wal/%020d.sst", round + 1);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<CompletableFuture<PutResult>>> submitted = new ArrayList<>();
                for (int racer = 0; racer < racers; racer++) {
                    byte[] body = bytes("racer " + racer);
                    submitted.add(threads.submit(() -> {
                        start.await();
                        return store.put(path, body, PutOptions.CREATE);
                    }));
                }
                start.countDown();

                List<Integer> winners = new ArrayList<>();
                for (int racer = 0; racer < racers; racer++) {
                    try {
                        submitted.get(racer).get(20, TimeUnit.SECONDS).get(20, TimeUnit.SECONDS);
                        winners.add(racer);
                    } catch (ExecutionException e) {
                        assertInstanceOf(ObjectAlreadyExistsException.class, e.getCause(), "round " + round);
                    }
                }
                assertEquals(1, winners.size(), "round " + round + " winners " + winners);
                assertArrayEquals(bytes("racer " + winners.get(0)), await(s3.get(path)).data(), "round " + round);
            }
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

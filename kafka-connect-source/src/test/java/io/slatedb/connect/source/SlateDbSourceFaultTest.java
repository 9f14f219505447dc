package io.slatedb.connect.source;

import io.slatedb.Db;
import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.InjectedFault;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static io.slatedb.connect.source.SourceTestSupport.b;
import static io.slatedb.connect.source.SourceTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Object-store faults under the task, injected with the engine's fault-injecting store. */
@Timeout(120)
class SlateDbSourceFaultTest {

    private static final String PATH = "faulty";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private ObjectStore store;
    private Db db;
    /** The store of the task started last. */
    private final AtomicReference<FaultInjectingObjectStore> taskStore = new AtomicReference<>();

    @BeforeEach
    void openDb() {
        store = ObjectStores.resolve(SourceTestSupport.storeUrl(dir));
        db = SourceTestSupport.open(store, PATH);
    }

    @AfterEach
    void closeDb() {
        db.close();
        store.close();
    }

    private TaskHarness harness() {
        return new TaskHarness(SourceTestSupport.props(dir, PATH), Clock.systemUTC(), url -> {
            FaultInjectingObjectStore faulty = new FaultInjectingObjectStore(ObjectStores.resolve(url));
            taskStore.set(faulty);
            return faulty;
        });
    }

    private void write(int from, int count) {
        for (int i = from; i < from + count; i++) {
            db.put(b(String.format("k%03d", i % 40)), b("v" + i));
        }
    }

    private static List<String> expected(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("k%03d", i % 40) + "=v" + i + "@put").toList();
    }

    /**
     * Every read of the task's store fails transiently for a while during streaming: the poll waits it out
     * and then delivers what was written meanwhile; a restart after it from the committed offsets repeats
     * nothing. Every write arrives once, in order.
     */
    @Test
    void aTransientOutageWhileStreamingIsWaitedOutWithNothingMissedOrDoubled() throws Exception {
        List<SourceRecord> delivered = new ArrayList<>();
        try (TaskHarness harness = harness()) {
            harness.start();
            write(0, 40);
            List<SourceRecord> before = harness.pollAtLeast(40, WAIT);
            harness.commit(before);
            delivered.addAll(before);

            InjectedFault outage = taskStore.get().inject(FaultRule.on(Set.of(Operation.GET, Operation.HEAD,
                    Operation.LIST, Operation.PUT), Fault.failTransiently()).always());
            write(40, 40);
            CompletableFuture<List<SourceRecord>> during = CompletableFuture.supplyAsync(() -> {
                try {
                    return harness.pollAtLeast(40, WAIT);
                } catch (InterruptedException e) {
                    throw new CompletionException(e);
                }
            });
            TestUtils.waitForCondition(() -> outage.fired() >= 3, WAIT.toMillis(),
                    "the task did not run into the outage");
            outage.remove();
            List<SourceRecord> recovered = during.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            harness.commit(recovered);
            delivered.addAll(recovered);

            harness.stop();
            harness.start();
            write(80, 40);
            List<SourceRecord> afterRestart = harness.pollAtLeast(40, WAIT);
            afterRestart.addAll(harness.drain());
            harness.commit(afterRestart);
            delivered.addAll(afterRestart);
        }
        assertEquals(expected(120), rows(delivered));
    }
}

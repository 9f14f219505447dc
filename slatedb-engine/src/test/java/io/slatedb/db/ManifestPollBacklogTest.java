package io.slatedb.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slatedb.Db;
import io.slatedb.Settings;
import io.slatedb.format.DbLayout;
import io.slatedb.testing.ForwardingObjectStore;
import io.slatedb.store.GetResult;
import io.slatedb.store.InMemoryObjectStore;
import io.slatedb.store.ObjectStore;
import io.slatedb.util.Futures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A manifest poll slower than the poll interval (a slow store) is not joined by a queue of more polls:
 * they would pile up without bound behind it, delay the writer's own manifest updates, and make close
 * wait for every one of them.
 */
@Timeout(60)
class ManifestPollBacklogTest {
    private static final String PATH = "db";

    @Test
    void ticksDuringASlowPollDoNotQueueMorePolls() {
        // The WAL flush ticks and the poll ticks share the writer's timer and interval.
        Settings settings = Settings.builder().flushInterval(Duration.ofMillis(5))
                .manifestPollInterval(Duration.ofMillis(5)).compactorOptions(null).garbageCollectorOptions(null)
                .build();
        try (InMemoryObjectStore memory = new InMemoryObjectStore()) {
            HeldManifestReads store = new HeldManifestReads(memory);
            Db db = Db.builder(PATH, store).withSettings(settings).build();
            try {
                Futures.join(store.holdNext());
                // Each awaited write waits for a WAL flush tick, so many poll ticks pass while a poll is held.
                for (int i = 0; i < 20; i++) {
                    db.put(b("k" + i), b("v"));
                }
                int readsBefore = store.reads();
                store.release();
                db.close(); // waits for every poll queued so far
                int pollsAfter = store.reads() - readsBefore;
                assertTrue(pollsAfter <= 2, "the held poll was followed by " + pollsAfter
                        + " manifest reads: polls queued up behind it");
            } finally {
                store.release();
                db.close();
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Counts manifest reads, and holds them from {@link #holdNext()} until {@link #release()}. */
    private static final class HeldManifestReads extends ForwardingObjectStore {
        private final AtomicInteger reads = new AtomicInteger();
        private final CompletableFuture<Void> held = new CompletableFuture<>();
        private final CompletableFuture<Void> released = new CompletableFuture<>();
        private volatile boolean holding;

        HeldManifestReads(ObjectStore inner) {
            super(inner, "held-manifest-reads");
        }

        /** Holds manifest reads from now on; completes once one is held. */
        CompletableFuture<Void> holdNext() {
            holding = true;
            return held;
        }

        void release() {
            released.complete(null);
        }

        int reads() {
            return reads.get();
        }

        @Override
        public CompletableFuture<GetResult> get(String path) {
            if (DbLayout.parseManifestId(path).isEmpty()) {
                return inner.get(path);
            }
            reads.incrementAndGet();
            if (!holding) {
                return inner.get(path);
            }
            held.complete(null);
            return released.thenCompose(unused -> inner.get(path));
        }
    }
}

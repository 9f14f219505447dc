package io.slatedb.connect.sink;

import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import io.slatedb.testing.Fault;
import io.slatedb.testing.FaultInjectingObjectStore;
import io.slatedb.testing.FaultInjectingObjectStore.Operation;
import io.slatedb.testing.FaultRule;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Object-store faults during a run, injected with the engine's fault-injecting store. */
@Timeout(120)
class SlateDbSinkFaultTest {
    private static final TopicPartition TP0 = new TopicPartition("orders", 0);
    private static final TopicPartition TP1 = new TopicPartition("orders", 1);

    @TempDir
    Path dir;
    private ObjectStore store;
    private FaultInjectingObjectStore faulty;

    @BeforeEach
    void openStores() {
        store = ObjectStores.resolve(url());
        faulty = new FaultInjectingObjectStore(ObjectStores.resolve(url()));
    }

    @AfterEach
    void closeStores() throws Exception {
        faulty.close();
        store.close();
    }

    private String url() {
        return "file://" + dir.toAbsolutePath();
    }

    private Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put("slatedb.store", url());
        props.put("slatedb.path", "db");
        props.put("slatedb.settings.flush_interval", "none");
        props.put("slatedb.store.retry.timeout.ms", "100");
        props.put("retry.backoff.ms", "1");
        props.put("topics", "orders");
        return props;
    }

    /** Two partitions, 200 records each, over disjoint key sets, with overwrites and tombstones. */
    private static Map<TopicPartition, List<SinkRecord>> workload() {
        Map<TopicPartition, List<SinkRecord>> log = new LinkedHashMap<>();
        for (TopicPartition tp : List.of(TP0, TP1)) {
            List<SinkRecord> records = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String key = "p" + tp.partition() + "-k" + (i * 7 % 31);
                String value = i % 11 == 10 ? null : "v" + i;
                records.add(new SinkRecord(tp.topic(), tp.partition(), null, key, null, value, i));
            }
            log.put(tp, records);
        }
        return log;
    }

    @Test
    void aTransientOutageMakesTheTaskRetryAndRecoverLosingNothingAcknowledged() {
        Map<TopicPartition, List<SinkRecord>> log = workload();
        Map<TopicPartition, Long> committed = new HashMap<>();
        SimulatedWorker worker = new SimulatedWorker(new SlateDbSinkTask(url -> faulty), props(), log, committed,
                Set.of(TP0, TP1));
        Map<TopicPartition, Long> acknowledged = new HashMap<>();
        FaultInjectingObjectStore.InjectedFault outage = null;
        for (int i = 0; i < 40; i++) {
            if (i == 6) {
                outage = faulty.inject(FaultRule.on(Set.of(Operation.PUT, Operation.GET, Operation.LIST),
                        Fault.failTransiently()).always());
            }
            if (i == 16) {
                outage.remove();
            }
            worker.poll(7);
            if (i % 3 == 2) {
                worker.commit();
                acknowledged.putAll(committed);
            }
        }
        worker.drain(7);
        worker.commit();

        assertTrue(worker.retriableFailures > 0, "the outage made put fail with RetriableException");
        assertTrue(worker.context.timeout > 0, "with a backoff before redelivery");
        SinkDatabaseModel db = SinkDatabaseModel.read(store, "db");
        assertEquals(Map.of(TP0, 200L, TP1, 200L), db.offsets());
        db.assertMatches(log);
        acknowledged.forEach((tp, offset) -> assertTrue(offset <= db.offsets().get(tp), "acknowledged is durable"));
        worker.stop();
        SinkDatabaseModel.read(store, "db").assertMatches(log);
    }

    @Test
    void aPermanentStoreFailureFailsTheTaskWithAClearMessage() {
        Map<TopicPartition, List<SinkRecord>> log = workload();
        SimulatedWorker worker = new SimulatedWorker(new SlateDbSinkTask(url -> faulty), props(), log, new HashMap<>(),
                Set.of(TP0));
        assertTrue(worker.poll(5));
        faulty.inject(FaultRule.on(Operation.PUT, Fault.failPermanently()).always());

        assertEquals(Map.of(), worker.commit(), "nothing durable, nothing committed");
        ConnectException e = assertThrows(ConnectException.class, () -> worker.poll(5));
        assertFalse(e instanceof RetriableException, e.toString());
        assertTrue(e.getMessage().contains("retrying cannot help"), e.getMessage());
        assertInstanceOf(RuntimeException.class, e.getCause());
    }
}

package io.slatedb.connect.sink;

import io.slatedb.connect.StoreConfig;
import io.slatedb.testing.FaultInjectingObjectStore;
import org.apache.kafka.connect.connector.Task;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sink connector whose tasks, created by a worker, open their store through a
 * {@link FaultInjectingObjectStore} a test can reach ({@link #STORES}), so it can make a running task's writes
 * fail. Registered for the unit tests' worker by {@code src/test/crash-plugin} (kept off the packaging test's
 * class path, which has no connector classes).
 */
public class CrashableSinkConnector extends SlateDbSinkConnector {

    /** The stores of every task started, in order. */
    static final List<FaultInjectingObjectStore> STORES = new CopyOnWriteArrayList<>();

    @Override
    public Class<? extends Task> taskClass() {
        return CrashableTask.class;
    }

    /** The sink task on a fault-injecting store. */
    public static class CrashableTask extends SlateDbSinkTask {
        public CrashableTask() {
            super(url -> {
                FaultInjectingObjectStore store = new FaultInjectingObjectStore(StoreConfig.open(url));
                STORES.add(store);
                return store;
            });
        }
    }
}

package io.slatedb.flink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.ConfigurableStateBackend;
import org.junit.jupiter.api.Timeout;

/**
 * Flink's state backend conformance suite with the timers on the heap
 * ({@link SlateDbOptions.TimerServiceFactory#HEAP}); {@link SlateDbStateBackendTest} runs it with the
 * timers in the database, the default.
 */
@Timeout(120)
class SlateDbHeapTimersStateBackendTest extends SlateDbStateBackendTest {

    @Override
    protected ConfigurableStateBackend getStateBackend() {
        Configuration config = new Configuration();
        config.set(SlateDbOptions.STORE, TestStores.url(tmp.resolve("heap-timers-store")));
        config.set(SlateDbOptions.TIMER_SERVICE_FACTORY, SlateDbOptions.TimerServiceFactory.HEAP);
        return new SlateDbStateBackend().configure(config, getClass().getClassLoader());
    }
}

package io.slatedb.flink;

import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.ttl.StateBackendTestContext;
import org.apache.flink.runtime.state.ttl.TtlStateTestBase;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Flink's state TTL suite, every state kind and TTL setting, with the test's own clock. */
@Timeout(120)
class SlateDbTtlStateTest extends TtlStateTestBase {

    @TempDir
    static java.nio.file.Path tmp;

    @Override
    protected StateBackendTestContext createStateBackendTestContext(TtlTimeProvider timeProvider) {
        return new StateBackendTestContext(timeProvider) {
            @Override
            protected StateBackend createStateBackend() {
                SlateDbStateBackend backend = new SlateDbStateBackend();
                backend.setStore(TestStores.url(tmp.resolve("store")));
                return backend;
            }
        };
    }
}

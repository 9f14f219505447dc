package io.slatedb.store;

import io.slatedb.testing.S3ProxyServer;
import io.slatedb.testing.S3ProxyExtension;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance suite against a real S3 server (S3Proxy, in-process), one fresh key prefix per test,
 * through the retrying wrapper the engine always puts around S3 (S3Proxy may reset a connection when it
 * refuses a put before reading its body; the retry then sees its real answer).
 * S3Proxy emulates If-Match as a HEAD followed by a PUT, so the if-match race is not run against it;
 * create-if-absent races are (S3Proxy's filesystem backend publishes with link(2), atomically).
 */
@ExtendWith(S3ProxyExtension.class)
class S3ObjectStoreConformanceTest extends ObjectStoreConformanceTest {
    // Set before the suite's own @BeforeEach opens a store.
    private static S3ProxyServer server;

    @BeforeAll
    static void useServer(S3ProxyServer shared) {
        server = shared;
    }

    @Override
    protected ObjectStore newStore() {
        return new RetryingObjectStore(server.openStoreOnFreshPrefix(),
                RetryPolicy.DEFAULT.withMaxAttempts(5).withBackoff(Duration.ofMillis(10), Duration.ofMillis(100)));
    }

    @Override
    protected boolean utf8OrderBeyondBasicPlane() {
        return false;
    }

    @Override
    protected boolean atomicIfMatch() {
        return false;
    }
}

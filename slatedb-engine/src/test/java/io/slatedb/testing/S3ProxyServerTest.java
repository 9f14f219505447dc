package io.slatedb.testing;

import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import io.slatedb.store.PutOptions;
import io.slatedb.store.S3ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.slatedb.util.Futures.join;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The S3Proxy harness itself: its own server on the in-memory backend, its URLs and its shutdown. */
@Timeout(60)
class S3ProxyServerTest {

    @Test
    void aServerServesItsBucketThroughConfigsAndUrlsAndStopsCleanly() {
        S3ProxyServer server = S3ProxyServer.start(S3ProxyServer.Backend.TRANSIENT, "other-bucket");
        try {
            assertEquals("127.0.0.1", server.endpoint().getHost());
            assertTrue(server.endpoint().getPort() > 0);
            assertEquals("other-bucket", server.bucket());
            assertNotEquals(server.freshPrefix(), server.freshPrefix());

            String prefix = server.freshPrefix();
            try (S3ObjectStore shared = server.openStore(prefix);
                 S3ObjectStore viaUrl = S3ObjectStore.fromUri(server.s3Url(prefix));
                 ObjectStore resolved = ObjectStores.resolve(server.s3Url(prefix).toString())) {
                join(shared.put("k", "v".getBytes(StandardCharsets.UTF_8), PutOptions.CREATE));
                assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), join(viaUrl.get("k")).data());
                assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), join(resolved.get("k")).data());
            }
            assertTrue(server.config(prefix).idleConnectionTimeout().compareTo(Duration.ofSeconds(30)) < 0,
                    "the client drops idle connections before S3Proxy (Jetty, 30 s) does");

            server.createBucket("second");
            try (S3ObjectStore second = new S3ObjectStore(
                    S3ObjectStore.Config.forBucket("second").withRegion(S3ProxyServer.REGION)
                            .withEndpoint(server.endpoint()).withPathStyle(true).withCredentials(server.credentials()),
                    server.client())) {
                assertEquals(0, join(second.listAll("")).size());
            }
        } finally {
            server.close();
            server.close();
        }
        assertThrows(IllegalStateException.class, server::client);
    }
}

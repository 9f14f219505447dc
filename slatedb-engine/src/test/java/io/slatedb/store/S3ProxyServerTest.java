package io.slatedb.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static io.slatedb.store.StoreFutures.await;
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
                 S3ObjectStore viaUrl = S3ObjectStore.fromUri(server.s3Url(prefix))) {
                await(shared.put("k", "v".getBytes(StandardCharsets.UTF_8), PutOptions.CREATE));
                assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), await(viaUrl.get("k")).data());
            }

            server.createBucket("second");
            try (S3ObjectStore second = new S3ObjectStore(
                    S3ObjectStore.Config.forBucket("second").withRegion(S3ProxyServer.REGION)
                            .withEndpoint(server.endpoint()).withPathStyle(true).withCredentials(server.credentials()),
                    server.client())) {
                assertEquals(0, await(second.listAll("")).size());
            }
        } finally {
            server.close();
            server.close();
        }
        assertThrows(IllegalStateException.class, server::client);
    }
}

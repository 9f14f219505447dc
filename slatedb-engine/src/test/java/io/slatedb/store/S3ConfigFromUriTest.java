package io.slatedb.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing {@code s3://} URLs into {@link S3ObjectStore.Config}. */
class S3ConfigFromUriTest {

    @Test
    void aFullUrlSetsEverySetting() {
        S3ObjectStore.Config config = S3ObjectStore.Config.fromUri(URI.create(
                "s3://my-bucket/some/prefix?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=eu-west-1&path_style=true"
                        + "&access_key_id=AKID&secret_access_key=s%2Fe%2Bc&idle_connection_timeout=5s"));

        assertEquals("my-bucket", config.bucket());
        assertEquals("some/prefix", config.prefix());
        assertEquals(URI.create("http://127.0.0.1:9000"), config.endpoint());
        assertEquals("eu-west-1", config.region());
        assertTrue(config.pathStyle());
        assertEquals(new S3ObjectStore.StaticCredentials("AKID", "s/e+c"), config.credentials());
        assertEquals(S3ObjectStore.Config.DEFAULT_REQUEST_TIMEOUT, config.requestTimeout());
        assertEquals(java.time.Duration.ofSeconds(5), config.idleConnectionTimeout());
    }

    @Test
    void anUnencodedEndpointIsAcceptedToo() {
        S3ObjectStore.Config config = S3ObjectStore.Config.fromUri(
                URI.create("s3://b/p?endpoint=http://127.0.0.1:9000&path_style=false"));

        assertEquals(URI.create("http://127.0.0.1:9000"), config.endpoint());
        assertFalse(config.pathStyle());
    }

    @Test
    void aBareBucketUsesDefaults() {
        S3ObjectStore.Config config = S3ObjectStore.Config.fromUri(URI.create("s3://bucket"));

        assertEquals("bucket", config.bucket());
        assertEquals("", config.prefix());
        assertNull(config.region(), "no region: the SDK's chain, then us-east-1, decide when the client is built");
        assertNull(config.endpoint());
        assertNull(config.credentials());
        assertFalse(config.pathStyle());
        assertEquals(S3ObjectStore.Config.DEFAULT_IDLE_CONNECTION_TIMEOUT, config.idleConnectionTimeout());
    }

    @ParameterizedTest
    @CsvSource({
            "s3://bucket/,               ''",
            "s3://bucket/db,             db",
            "s3://bucket/db/,            db",
            "s3://bucket/a/b/c/,         a/b/c",
            "S3://bucket/x,              x",
            "s3://bucket_with_underscore/x, x",
    })
    void thePathBecomesThePrefixWithoutOuterSlashes(String url, String prefix) {
        assertEquals(prefix, S3ObjectStore.Config.fromUri(URI.create(url)).prefix());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "file:///tmp/db                             | not an s3:// URL",
            "s3:///prefix                               | names no bucket",
            "s3:bucket                                  | s3://bucket/prefix",
            "s3://bucket/p?color=blue                   | unknown query parameter 'color'",
            "s3://bucket/p?region=a&region=b            | 'region' is given more than once",
            "s3://bucket/p?path_style=yes               | 'path_style' must be true or false",
            "s3://bucket/p?access_key_id=x              | give both or neither",
            "s3://bucket/p?secret_access_key=x          | give both or neither",
            "s3://bucket/p?endpoint=ftp://host          | 'endpoint' must be an absolute http or https URL",
            "s3://bucket/p?endpoint=relative/path       | 'endpoint' must be an absolute http or https URL",
            "s3://bucket/p?region=                      | 'region' must not be empty",
            "s3://user@bucket/p                         | without user or port",
            "s3://bucket:9000/p                         | without user or port",
            "s3://bucket/a//b                           | invalid key prefix",
            "s3://bucket/a/../b                         | invalid key prefix",
            "s3://bucket/p#frag                         | must not have a fragment",
            "s3://bucket/p?idle_connection_timeout=soon | 'idle_connection_timeout' must be a positive duration",
            "s3://bucket/p?idle_connection_timeout=0s   | 'idle_connection_timeout' must be a positive duration",
    })
    void badUrlsAreRejectedNamingTheProblem(String url, String expectedMessagePart) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> S3ObjectStore.Config.fromUri(URI.create(url)));

        assertTrue(error.getMessage().contains(expectedMessagePart), error.getMessage());
    }

    @Test
    void errorsAndToStringNeverShowTheSecret() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> S3ObjectStore.Config.fromUri(
                URI.create("s3:///p?secret_access_key=hunter2&access_key_id=x")));
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());

        S3ObjectStore.Config config = S3ObjectStore.Config.fromUri(
                URI.create("s3://b/p?secret_access_key=hunter2&access_key_id=x"));
        assertFalse(config.toString().contains("hunter2"), config.toString());
    }

    @Test
    void configValuesAreValidated() {
        S3ObjectStore.Config base = S3ObjectStore.Config.forBucket("b");
        assertThrows(IllegalArgumentException.class, () -> S3ObjectStore.Config.forBucket(""));
        assertThrows(IllegalArgumentException.class, () -> S3ObjectStore.Config.forBucket("a/b"));
        assertThrows(IllegalArgumentException.class, () -> base.withRequestTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> base.withConnectTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> base.withMaxConnections(0));
        assertThrows(IllegalArgumentException.class, () -> base.withRegion(" "));
        assertEquals("x/y", base.withPrefix("/x/y/").prefix());
    }
}

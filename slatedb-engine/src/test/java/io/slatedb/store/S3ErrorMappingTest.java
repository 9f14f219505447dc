package io.slatedb.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static io.slatedb.store.StoreFutures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link S3ObjectStore} maps server answers and network failures that S3Proxy does not produce,
 * end to end through the SDK: from a canned HTTP endpoint, a refused connection and a silent server.
 */
@Timeout(60)
class S3ErrorMappingTest {

    private static CannedS3Server canned;
    private static S3ObjectStore store;

    @BeforeAll
    static void start() throws IOException {
        canned = new CannedS3Server();
        store = new S3ObjectStore(configFor(canned.endpoint()));
    }

    @AfterAll
    static void stop() {
        store.close();
        canned.close();
    }

    @ParameterizedTest(name = "PUT answered {0} {1} is {2}")
    @CsvSource(nullValues = "none", value = {
            "503, SlowDown,                   TransientObjectStoreException",
            "503, ServiceUnavailable,         TransientObjectStoreException",
            "500, InternalError,              TransientObjectStoreException",
            "502, none,                       TransientObjectStoreException",
            "504, none,                       TransientObjectStoreException",
            "429, TooManyRequestsException,   TransientObjectStoreException",
            "409, ConditionalRequestConflict, TransientObjectStoreException",
            "409, OperationAborted,           TransientObjectStoreException",
            "400, RequestTimeout,             TransientObjectStoreException",
            "409, BucketNotEmpty,             PermanentObjectStoreException",
            "400, InvalidArgument,            PermanentObjectStoreException",
            "400, EntityTooLarge,             PermanentObjectStoreException",
            "403, AccessDenied,               PermanentObjectStoreException",
            "404, NoSuchBucket,               PermanentObjectStoreException",
            "404, NoSuchKey,                  ObjectNotFoundException",
            "412, PreconditionFailed,         PreconditionFailedException",
    })
    void overwritePutFailures(int status, String code, String expected) {
        canned.answerWith(status, code);

        ObjectStoreException error = failure(store.put("dir/key", new byte[]{1, 2, 3}), ObjectStoreException.class);

        assertEquals(expected, error.getClass().getSimpleName(), error.toString());
        assertEquals("dir/key", error.path());
        assertEquals(expected.startsWith("Transient"), error.retryable());
    }

    @Test
    void preconditionFailedOnACreateIsAlreadyExistsAndOnAnIfMatchIsNot() {
        canned.answerWith(412, "PreconditionFailed");

        failure(store.put("k", new byte[1], PutOptions.CREATE), ObjectAlreadyExistsException.class);
        PreconditionFailedException ifMatch = failure(
                store.put("k", new byte[1], PutOptions.of(PutMode.ifMatch("\"e\""))), PreconditionFailedException.class);
        assertFalse(ifMatch instanceof ObjectAlreadyExistsException);
    }

    @Test
    void aConflictingConcurrentConditionalWriteIsTransientSoItIsRetried() {
        canned.answerWith(409, "ConditionalRequestConflict");

        TransientObjectStoreException error = failure(store.put("k", new byte[1], PutOptions.CREATE),
                TransientObjectStoreException.class);

        assertTrue(error.getMessage().contains("ConditionalRequestConflict"), error.getMessage());
    }

    @ParameterizedTest(name = "HEAD answered {0} is {1}")
    @CsvSource({
            "404, ObjectNotFoundException",
            "503, TransientObjectStoreException",
            "500, TransientObjectStoreException",
            "403, PermanentObjectStoreException",
            "400, PermanentObjectStoreException",
    })
    void headFailuresWithoutAnErrorDocument(int status, String expected) {
        canned.answerWith(status, "Ignored");

        ObjectStoreException error = failure(store.head("h"), ObjectStoreException.class);

        assertEquals(expected, error.getClass().getSimpleName(), error.toString());
        assertEquals("h", error.path());
    }

    @Test
    void getListDeleteAndCopyMapTheSameWay() {
        canned.answerWith(503, "SlowDown");
        failure(store.get("g"), TransientObjectStoreException.class);
        failure(store.get("g", ByteRange.of(1, 2)), TransientObjectStoreException.class);
        failure(store.list("p/", null, 10), TransientObjectStoreException.class);
        failure(store.delete("d"), TransientObjectStoreException.class);
        failure(store.copy("a", "b"), TransientObjectStoreException.class);

        canned.answerWith(404, "NoSuchKey");
        assertEquals("a", failure(store.copy("a", "b"), ObjectNotFoundException.class).path());
        assertEquals("g", failure(store.get("g"), ObjectNotFoundException.class).path());

        canned.answerWith(403, "AccessDenied");
        PermanentObjectStoreException denied = failure(store.copy("a", "b"), PermanentObjectStoreException.class);
        assertEquals("b", denied.path());
        assertTrue(denied.getMessage().contains("AccessDenied"), denied.getMessage());
    }

    @Test
    void aRefusedConnectionIsTransient() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (S3ObjectStore refused = new S3ObjectStore(configFor(URI.create("http://127.0.0.1:" + port)))) {
            TransientObjectStoreException error = failure(refused.get("k"), TransientObjectStoreException.class);
            assertEquals("k", error.path());
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAsTransient() throws IOException {
        // The kernel accepts connections into the backlog, so the request is sent and never answered.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             S3ObjectStore store = new S3ObjectStore(configFor(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                     .withRequestTimeout(Duration.ofMillis(300)))) {
            TransientObjectStoreException error = failure(store.put("slow", new byte[10]),
                    TransientObjectStoreException.class);
            assertEquals("slow", error.path());
        }
    }

    @Test
    void aConnectionClosedDuringTheRequestIsTransient() throws Exception {
        // A server that reads the start of each request and then hangs up, as a load balancer dropping
        // the connection does: the SDK reports "The connection was closed during the request".
        try (ServerSocket hangUp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             S3ObjectStore store = new S3ObjectStore(configFor(URI.create("http://127.0.0.1:" + hangUp.getLocalPort())))) {
            Thread server = new Thread(() -> {
                while (!hangUp.isClosed()) {
                    try (Socket connection = hangUp.accept()) {
                        connection.getInputStream().read(new byte[1024]);
                    } catch (IOException e) {
                        // the listening socket was closed: the test is over
                    }
                }
            }, "hang-up-server");
            server.setDaemon(true);
            server.start();

            TransientObjectStoreException get = failure(store.get("k"), TransientObjectStoreException.class);
            assertEquals("k", get.path());
            TransientObjectStoreException put = failure(store.put("k", new byte[10], PutOptions.CREATE),
                    TransientObjectStoreException.class);
            assertEquals("k", put.path());
        }
    }

    /** Client-side failures as the SDK raises them, wrapped as it wraps them. */
    static Stream<Arguments> clientFailures() {
        String closed = "The connection was closed during the request. The request will usually succeed on a"
                + " retry, but if it does not: consider disabling any proxies you have configured.";
        return Stream.of(
                Arguments.of("connection closed during the request",
                        SdkClientException.create("Unable to execute HTTP request: " + closed, new IOException(closed)),
                        true),
                Arguments.of("connection reset", SdkClientException.create("Unable to execute HTTP request",
                        new SocketException("Connection reset")), true),
                Arguments.of("connection refused", SdkClientException.create("Unable to execute HTTP request",
                        new ConnectException("Connection refused")), true),
                Arguments.of("closed channel", SdkClientException.create("Unable to execute HTTP request",
                        new ClosedChannelException()), true),
                Arguments.of("read timeout (IOException from the Netty client)", SdkClientException.create(
                        "Unable to execute HTTP request: Read timed out",
                        new IOException("Read timed out", ReadTimeoutException.INSTANCE)), true),
                Arguments.of("read timeout (Netty's own)", SdkClientException.create("Unable to execute HTTP request",
                        ReadTimeoutException.INSTANCE), true),
                Arguments.of("write timeout", SdkClientException.create("Unable to execute HTTP request",
                        WriteTimeoutException.INSTANCE), true),
                Arguments.of("premature channel closure", SdkClientException.create("Unable to execute HTTP request",
                        new PrematureChannelClosureException("channel gone inactive with 1 missing response(s)")),
                        true),
                Arguments.of("connection pool acquire timeout", SdkClientException.create(
                        "Unable to execute HTTP request: Acquire operation took longer than the configured maximum time",
                        new Throwable("Acquire operation took longer", new TimeoutException("acquire"))), true),
                Arguments.of("socket timeout", SdkClientException.create("Unable to execute HTTP request",
                        new SocketTimeoutException("timeout")), true),
                Arguments.of("unchecked I/O", new UncheckedIOException(new IOException("broken pipe")), true),
                Arguments.of("API call timeout", ApiCallTimeoutException.create(1000), true),
                Arguments.of("API call attempt timeout", ApiCallAttemptTimeoutException.create(1000), true),
                Arguments.of("retryable client exception", RetryableException.create("try again"), true),
                Arguments.of("wrapped in CompletionException", new CompletionException(SdkClientException.create(
                        "Unable to execute HTTP request", new IOException(closed))), true),
                Arguments.of("no credentials", SdkClientException.create("Unable to load credentials from any of"
                        + " the providers in the chain"), false),
                Arguments.of("a bug", new IllegalStateException("unexpected state"), false));
    }

    @ParameterizedTest(name = "{0} is transient: {2}")
    @MethodSource("clientFailures")
    void clientFailuresAreTransientWhenTheyMayGoAway(String name, Throwable failure, boolean transientFailure) {
        ObjectStoreException error = S3Errors.forOperation(failure, "p", "get p");

        assertEquals(transientFailure ? TransientObjectStoreException.class : PermanentObjectStoreException.class,
                error.getClass(), error.toString());
        assertEquals(transientFailure, error.retryable());
        assertEquals("p", error.path());
        // Puts and copies map them the same way.
        assertEquals(error.getClass(), S3Errors.forPut(failure, "p", PutMode.CREATE, "p").getClass());
        assertEquals(error.getClass(), S3Errors.forCopy(failure, "a", "p", "copy").getClass());
    }

    private static S3ObjectStore.Config configFor(URI endpoint) {
        return S3ObjectStore.Config.forBucket("bucket").withPrefix("pre").withRegion("us-east-1")
                .withEndpoint(endpoint).withPathStyle(true)
                .withCredentials(new S3ObjectStore.StaticCredentials("id", "secret"));
    }
}

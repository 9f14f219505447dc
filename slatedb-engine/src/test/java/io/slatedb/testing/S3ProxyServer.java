package io.slatedb.testing;

import io.slatedb.store.ObjectStores;
import io.slatedb.store.RetryPolicy;
import io.slatedb.store.RetryingObjectStore;
import io.slatedb.store.S3ObjectStore;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * An S3Proxy 4.1 server running in this JVM on {@code 127.0.0.1} and a free port, with one bucket, for
 * tests that need a real S3 protocol endpoint: {@link #start()} it, reach it through
 * {@link #openStore(String) a store} on a prefix of the bucket, or through the
 * {@link #s3Url(String) s3:// URL} that {@link ObjectStores#resolve} and {@link S3ObjectStore#fromUri}
 * accept (endpoint, region, path-style addressing and credentials included), and {@link #close()} it,
 * which stops the server and deletes its files. A module using it needs {@code org.gaul:s3proxy} on its
 * test classpath (the engine's test-jar does not bring its test dependencies).
 *
 * <p>S3Proxy (Jetty) closes connections idle for 30 s. The stores this class opens use a client that
 * closes its own idle connections after {@link #CLIENT_IDLE_CONNECTION_TIMEOUT}, and so do stores built
 * from {@link #s3Url}, so no request goes out on a connection the server has just closed. (S3Proxy also
 * closes a connection after answering some puts early; the retrying store every engine handle wraps a
 * store in, or {@link #openRetryingStoreOnFreshPrefix()}, repeats such a request.)
 *
 * <p>The default backend is {@code filesystem-nio2} in a temporary directory: it publishes objects
 * with {@code link(2)}, so create-if-absent ({@code If-None-Match: *}) is atomic under concurrency.
 * Its {@code If-Match} is a HEAD followed by a PUT and is <em>not</em> atomic: only single-writer tests
 * may rely on it. Because objects are files, a key cannot be both an object and a "directory" of
 * other objects ({@code a} and {@code a/b}). S3Proxy answers some puts (a failed If-Match, bad
 * credentials) before reading their body and then closes the connection; the client may see that as
 * a broken connection (a transient error) instead of the answer, so tests expecting such an answer
 * on a put should let a retrying store repeat it.
 *
 * <p>Tests share a server (see {@link S3ProxyExtension}) and keep out of each other's way by working
 * under a {@linkplain #freshPrefix() fresh prefix} each.
 */
public final class S3ProxyServer implements AutoCloseable {

    /** The S3Proxy storage backends tests may want. */
    public enum Backend {
        /** Files in a temporary directory; atomic create-if-absent. */
        FILESYSTEM("filesystem-nio2"),
        /** In memory; faster, also atomic create-if-absent. */
        TRANSIENT("transient-nio2");

        private final String provider;

        Backend(String provider) {
            this.provider = provider;
        }
    }

    /** The bucket {@link #start()} creates. */
    public static final String DEFAULT_BUCKET = "slatedb-test";
    /** The region the server's URLs and configurations name; S3Proxy accepts any. */
    public static final String REGION = "us-east-1";

    /** How long the harness's client keeps an idle connection: well below S3Proxy's 30 s. */
    public static final Duration CLIENT_IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private static final String ACCESS_KEY_ID = "slatedb-test-access-key";
    private static final String SECRET_ACCESS_KEY = "slatedb-test-secret-key";
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final AtomicLong PREFIXES = new AtomicLong();

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final Path directory;
    private final String bucket;
    private final URI endpoint;
    // One client for every store this server opens: building one costs little, but closing one shuts
    // down its Netty event loops, which takes about two seconds.
    private S3AsyncClient client;
    private boolean closed;

    private S3ProxyServer(S3Proxy proxy, BlobStore blobStore, Path directory, String bucket) {
        this.proxy = proxy;
        this.blobStore = blobStore;
        this.directory = directory;
        this.bucket = bucket;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Starts a {@link Backend#FILESYSTEM} server with the bucket {@value #DEFAULT_BUCKET}. */
    public static S3ProxyServer start() {
        return start(Backend.FILESYSTEM, DEFAULT_BUCKET);
    }

    /** Starts a server on {@code backend} with one bucket named {@code bucket}. */
    public static S3ProxyServer start(Backend backend, String bucket) {
        Path directory = null;
        BlobStore blobStore = null;
        S3Proxy proxy = null;
        try {
            directory = Files.createTempDirectory("slatedb-s3proxy-");
            Properties properties = new Properties();
            properties.setProperty("jclouds.filesystem.basedir", directory.toString());
            blobStore = BlobStores.create(backend.provider, properties);
            blobStore.createContainer(bucket);
            proxy = S3Proxy.builder()
                    .blobStore(blobStore)
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                    .build();
            proxy.start();
            awaitStarted(proxy);
            return new S3ProxyServer(proxy, blobStore, directory, bucket);
        } catch (Exception e) {
            stopQuietly(proxy, blobStore, directory, e);
            throw new IllegalStateException("could not start S3Proxy (" + backend + ")", e);
        }
    }

    /**
     * The directory the filesystem backend keeps the buckets' objects in ({@code <directory>/<bucket>/<key>}),
     * for tests that inspect or damage stored files.
     */
    public Path directory() {
        return directory;
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The bucket the server was started with. */
    public String bucket() {
        return bucket;
    }

    /** The credentials the server accepts. */
    public S3ObjectStore.StaticCredentials credentials() {
        return new S3ObjectStore.StaticCredentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    }

    /** A prefix no other caller of this method in this JVM has been given. */
    public String freshPrefix() {
        return "test-" + PREFIXES.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The configuration of a store on {@code prefix} of this server's bucket, with its credentials and
     * the client idle time {@link #CLIENT_IDLE_CONNECTION_TIMEOUT}.
     */
    public S3ObjectStore.Config config(String prefix) {
        return S3ObjectStore.Config.forBucket(bucket)
                .withPrefix(prefix)
                .withRegion(REGION)
                .withEndpoint(endpoint)
                .withPathStyle(true)
                .withCredentials(credentials())
                .withIdleConnectionTimeout(CLIENT_IDLE_CONNECTION_TIMEOUT);
    }

    /**
     * An {@code s3://} URL for {@code prefix} of this server's bucket, for {@link ObjectStores#resolve}
     * and {@link S3ObjectStore#fromUri}: it names the endpoint, region, path-style addressing and the
     * credentials ({@code access_key_id}, {@code secret_access_key}), and the client idle time
     * {@link #CLIENT_IDLE_CONNECTION_TIMEOUT} ({@code idle_connection_timeout}).
     */
    public URI s3Url(String prefix) {
        return URI.create("s3://" + bucket + "/" + prefix
                + "?endpoint=" + encode(endpoint.toString())
                + "&region=" + REGION
                + "&path_style=true"
                + "&access_key_id=" + encode(ACCESS_KEY_ID)
                + "&secret_access_key=" + encode(SECRET_ACCESS_KEY)
                + "&idle_connection_timeout=" + CLIENT_IDLE_CONNECTION_TIMEOUT.toSeconds() + "s");
    }

    /**
     * A new store on {@code prefix}, on this server's shared client (closing the store leaves the
     * client open; closing the server closes it). The caller closes the store.
     */
    public S3ObjectStore openStore(String prefix) {
        return new S3ObjectStore(config(prefix), client());
    }

    /** The client shared by the stores {@link #openStore} opens; it is closed with the server. */
    public synchronized S3AsyncClient client() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (client == null) {
            client = S3ObjectStore.newClient(config(""));
        }
        return client;
    }

    /** A new store on a {@linkplain #freshPrefix() fresh prefix}. The caller closes it. */
    public S3ObjectStore openStoreOnFreshPrefix() {
        return openStore(freshPrefix());
    }

    /**
     * A new store on a fresh prefix that retries transient failures as the engine's handles do
     * ({@link RetryingObjectStore} with {@link RetryPolicy#DEFAULT}), for tests that use the store
     * directly as well as through handles: the handles do not retry it again. Closing it closes the
     * underlying store.
     */
    public RetryingObjectStore openRetryingStoreOnFreshPrefix() {
        return new RetryingObjectStore(openStoreOnFreshPrefix(), RetryPolicy.DEFAULT);
    }

    /** Creates another bucket on this server. */
    public void createBucket(String name) {
        blobStore.createContainer(name);
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() {
        S3AsyncClient toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = client;
        }
        try {
            if (toClose != null) {
                toClose.close();
            }
        } finally {
            stopQuietly(proxy, blobStore, directory, null);
        }
    }

    @Override
    public String toString() {
        return "S3ProxyServer[" + endpoint + ", bucket " + bucket + "]";
    }

    private static void awaitStarted(S3Proxy proxy) {
        // Jetty's start() normally returns started; poll the state (briefly parking between looks) in
        // case it is still coming up, and give up on a state that will not become STARTED.
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (true) {
            String state = proxy.getState();
            if ("STARTED".equals(state)) {
                return;
            }
            if ("FAILED".equals(state) || "STOPPED".equals(state)) {
                throw new IllegalStateException("S3Proxy did not start; its state is " + state);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("S3Proxy did not start within 30 s; its state is " + state);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static void stopQuietly(S3Proxy proxy, BlobStore blobStore, Path directory, Exception failure) {
        try {
            if (proxy != null) {
                proxy.stop();
            }
        } catch (Exception e) {
            addOrThrow(failure, e);
        }
        try {
            if (blobStore != null) {
                blobStore.close();
            }
        } catch (RuntimeException e) {
            addOrThrow(failure, e);
        }
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                addOrThrow(failure, new UncheckedIOException(e));
            }
        }
    }

    private static void addOrThrow(Exception failure, Exception e) {
        if (failure != null) {
            failure.addSuppressed(e);
        } else if (e instanceof RuntimeException runtime) {
            throw runtime;
        } else {
            throw new IllegalStateException("could not stop S3Proxy", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package io.slatedb.store;

import io.slatedb.util.Futures;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An {@link ObjectStore} on Amazon S3 or an S3-compatible server, through the AWS SDK v2 asynchronous
 * client on Netty. Paths are stored as keys under the configured prefix ({@code <prefix>/<path>}).
 *
 * <p>Create-if-absent puts send {@code If-None-Match: *} and if-match puts send {@code If-Match}; a 412
 * answer becomes {@link ObjectAlreadyExistsException} or {@link PreconditionFailedException}. The SDK's
 * own retries are switched off: a retried conditional put can meet its own earlier, successful attempt,
 * and only {@link RetryingObjectStore} (with its {@code slatedbputid} check) can tell that apart from a
 * lost race. The engine's handles wrap every store they are given in one (the internal StoreStack); wrap it
 * yourself to call it directly.
 *
 * <p>Objects are written with a single PutObject and copied with a single CopyObject, so objects are
 * limited to 5 GiB (SlateDB's SSTs and manifests are far smaller).
 */
public final class S3ObjectStore implements ObjectStore {

    private final Config config;
    private final S3AsyncClient client;
    private final boolean ownsClient;
    private final String keyPrefix;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A store with its own client, built from {@code config}; {@link #close()} shuts the client down. */
    public S3ObjectStore(Config config) {
        this(config, S3ClientFactory.create(config), true);
    }

    /**
     * A new SDK client configured as {@code config} says (region, credentials, endpoint, addressing,
     * timeouts, connection limit and idle time, no SDK-internal retries), as {@link #S3ObjectStore(Config)}
     * builds for itself: for callers that share one client between several stores
     * ({@link #S3ObjectStore(Config, S3AsyncClient)}), since closing a client takes a while. The
     * caller closes it.
     */
    public static S3AsyncClient newClient(Config config) {
        return S3ClientFactory.create(Objects.requireNonNull(config, "config"));
    }

    /**
     * A store on an existing client. Only the bucket and prefix of {@code config} are used, and
     * {@link #close()} leaves the client open: it belongs to the caller.
     */
    public S3ObjectStore(Config config, S3AsyncClient client) {
        this(config, Objects.requireNonNull(client, "client"), false);
    }

    private S3ObjectStore(Config config, S3AsyncClient client, boolean ownsClient) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = client;
        this.ownsClient = ownsClient;
        this.keyPrefix = config.prefix().isEmpty() ? "" : config.prefix() + "/";
    }

    /**
     * A store for a URL of the form
     * {@code s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true}.
     * See {@link Config#fromUri(URI)} for every parameter.
     *
     * @throws IllegalArgumentException if the URL is not a valid S3 store URL
     */
    public static S3ObjectStore fromUri(URI uri) {
        return new S3ObjectStore(Config.fromUri(uri));
    }

    /** The configuration of this store. */
    public Config config() {
        return config;
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        return call("put", path, () -> {
            PutObjectRequest.Builder request = PutObjectRequest.builder()
                    .bucket(config.bucket())
                    .key(key(path))
                    .contentLength((long) data.length)
                    // S3 verifies the body against it and keeps it, so whole-object gets can be checked.
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
                    .metadata(options.userMetadata());
            if (options.mode() instanceof PutMode.Create) {
                request.ifNoneMatch("*");
            } else if (options.mode() instanceof PutMode.IfMatch ifMatch) {
                request.ifMatch(ifMatch.etag());
            }
            return client.putObject(request.build(), AsyncRequestBody.fromBytes(data))
                    .thenApply(response -> new PutResult(response.eTag()));
        }, error -> S3Errors.forPut(error, path, options.mode(), describeKey(path)));
    }

    @Override
    public CompletableFuture<GetResult> get(String path) {
        // With checksum mode on, S3 returns the stored checksum and the SDK fails the call when the bytes
        // differ; objects stored without one (or as multipart composites) come back unchecked.
        return call("get", path, () -> client.getObject(getRequest(path).checksumMode(ChecksumMode.ENABLED).build(),
                        AsyncResponseTransformer.toBytes())
                .thenApply(bytes -> {
                    // The response bytes belong to this call alone, so there is no need to copy them.
                    byte[] data = bytes.asByteArrayUnsafe();
                    return new GetResult(data, metadata(path, bytes.response(), data.length));
                }),
                error -> S3Errors.forOperation(error, path, "get " + describeKey(path)));
    }

    @Override
    public CompletableFuture<GetResult> get(String path, ByteRange range) {
        Objects.requireNonNull(range, "range");
        return call("get", path, () -> new RangedGet(path, range).run(),
                error -> S3Errors.forOperation(error, path, "get " + range + " of " + describeKey(path)));
    }

    @Override
    public CompletableFuture<ObjectMetadata> head(String path) {
        return call("head", path, () -> client.headObject(HeadObjectRequest.builder()
                        .bucket(config.bucket()).key(key(path)).build())
                .thenApply(response -> metadata(path, response)),
                error -> S3Errors.forOperation(error, path, "head " + describeKey(path)));
    }

    @Override
    public CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys) {
        Objects.requireNonNull(prefix, "prefix");
        if (maxKeys <= 0) {
            return Futures.failed(new PermanentObjectStoreException(prefix,
                    "maxKeys must be positive, got " + maxKeys, null));
        }
        if (closed.get()) {
            return Futures.failed(closedError(prefix));
        }
        try {
            checkPrefix(prefix);
            if (startAfter != null) {
                checkPrefix(startAfter);
            }
        } catch (IllegalArgumentException e) {
            return Futures.failed(new PermanentObjectStoreException(prefix, e.getMessage(), e));
        }
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
                .bucket(config.bucket())
                .prefix(keyPrefix + prefix)
                .maxKeys(maxKeys);
        if (startAfter != null) {
            request.startAfter(keyPrefix + startAfter);
        }
        return guard(() -> client.listObjectsV2(request.build()))
                .thenApply(response -> {
                    List<ObjectMetadata> objects = new ArrayList<>(response.contents().size());
                    for (S3Object object : response.contents()) {
                        objects.add(new ObjectMetadata(relative(object.key()), sizeOf(object.size()), object.eTag(),
                                orEpoch(object.lastModified()), Map.of()));
                    }
                    return new ListPage(objects, Boolean.TRUE.equals(response.isTruncated()));
                })
                .exceptionallyCompose(error -> Futures.failed(S3Errors.forOperation(Futures.unwrap(error), prefix,
                        "list " + describeKey(prefix) + "*")));
    }

    @Override
    public CompletableFuture<Void> delete(String path) {
        return call("delete", path, () -> client.deleteObject(DeleteObjectRequest.builder()
                        .bucket(config.bucket()).key(key(path)).build())
                .thenApply(response -> (Void) null),
                error -> S3Errors.forOperation(error, path, "delete " + describeKey(path)));
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        Objects.requireNonNull(toPath, "toPath");
        try {
            checkPath(toPath);
        } catch (IllegalArgumentException e) {
            return Futures.failed(new PermanentObjectStoreException(toPath, e.getMessage(), e));
        }
        // A 404 is about the source; everything else is reported against the target being written.
        return call("copy", fromPath, () -> client.copyObject(CopyObjectRequest.builder()
                        .sourceBucket(config.bucket()).sourceKey(key(fromPath))
                        .destinationBucket(config.bucket()).destinationKey(key(toPath))
                        // The contract says user metadata is not carried over; S3's default (COPY) would.
                        .metadataDirective(MetadataDirective.REPLACE)
                        .build())
                .thenApply(response -> (Void) null),
                error -> S3Errors.forCopy(error, fromPath, toPath,
                        "copy " + describeKey(fromPath) + " to " + describeKey(toPath)));
    }

    @Override
    public String describe() {
        String base = "s3://" + config.bucket() + (config.prefix().isEmpty() ? "" : "/" + config.prefix());
        return config.endpoint() == null ? base : base + " at " + config.endpoint();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + describe() + "]";
    }

    /** Validates {@code path}, runs {@code action} and maps its failure with {@code mapper}. */
    private <T> CompletableFuture<T> call(String operation, String path, Supplier<CompletableFuture<T>> action,
                                          Function<Throwable, ObjectStoreException> mapper) {
        Objects.requireNonNull(path, "path");
        if (closed.get()) {
            return Futures.failed(closedError(path));
        }
        try {
            checkPath(path);
        } catch (IllegalArgumentException e) {
            return Futures.failed(new PermanentObjectStoreException(path, operation + " failed: " + e.getMessage(), e));
        }
        return guard(action).exceptionallyCompose(error -> Futures.failed(mapper.apply(Futures.unwrap(error))));
    }

    /** Runs an SDK call, turning a synchronous throw (the SDK validates some requests eagerly) into a failed future. */
    private static <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            return Futures.failed(e);
        }
    }

    private PermanentObjectStoreException closedError(String path) {
        return new PermanentObjectStoreException(path, "the object store " + describe() + " is closed", null);
    }

    private GetObjectRequest.Builder getRequest(String path) {
        return GetObjectRequest.builder().bucket(config.bucket()).key(key(path));
    }

    private String key(String path) {
        return keyPrefix + path;
    }

    private String relative(String key) {
        if (!key.startsWith(keyPrefix)) {
            // S3 only lists keys that start with the requested prefix; anything else is a server bug.
            throw new IllegalStateException("listed key " + key + " is outside the prefix " + keyPrefix);
        }
        return key.substring(keyPrefix.length());
    }

    private String describeKey(String path) {
        return "s3://" + config.bucket() + "/" + key(path);
    }

    private static ObjectMetadata metadata(String path, HeadObjectResponse response) {
        return new ObjectMetadata(path, sizeOf(response.contentLength()), response.eTag(),
                orEpoch(response.lastModified()), response.metadata());
    }

    private static ObjectMetadata metadata(String path, GetObjectResponse response, long size) {
        return new ObjectMetadata(path, size, response.eTag(), orEpoch(response.lastModified()), response.metadata());
    }

    private static long sizeOf(Long size) {
        return size == null ? 0 : size;
    }

    private static Instant orEpoch(Instant instant) {
        // S3 always sends Last-Modified; the contract needs a value even if a compatible server does not.
        return instant == null ? Instant.EPOCH : instant;
    }

    /**
     * A ranged read. S3 cannot express every range of the contract (a zero-length range, any range of an
     * empty object) and answers 416 where the contract wants data or a typed error, so those cases fall
     * back to a HEAD and are answered from the object's size.
     */
    private final class RangedGet {
        private final String path;
        private final ByteRange range;

        RangedGet(String path, ByteRange range) {
            this.path = path;
            this.range = range;
        }

        CompletableFuture<GetResult> run() {
            if (range.length() == 0) {
                return fromHead();
            }
            return client.getObject(getRequest(path).range(HttpRanges.header(range)).build(),
                            AsyncResponseTransformer.toBytes())
                    .thenApply(bytes -> {
                        GetObjectResponse response = bytes.response();
                        byte[] body = bytes.asByteArrayUnsafe();
                        HttpRanges.ContentRange contentRange = HttpRanges.parseContentRange(response.contentRange());
                        if (contentRange == null) {
                            // The server ignored the Range header and sent the whole object: cut it here.
                            return slice(body, metadata(path, response, body.length));
                        }
                        return new GetResult(body, metadata(path, response, contentRange.size()));
                    })
                    .exceptionallyCompose(error -> S3Errors.isRangeNotSatisfiable(Futures.unwrap(error))
                            ? fromHead()
                            : Futures.failed(Futures.unwrap(error)));
        }

        private CompletableFuture<GetResult> fromHead() {
            return head(path).thenApply(metadata -> {
                long size = metadata.size();
                long start = startIn(size);
                if (range.length() > 0 && start < size) {
                    // The object is big enough for this range now: it changed between the GET and the HEAD.
                    throw new TransientObjectStoreException(path, "get " + range + " of " + describeKey(path)
                            + " was refused as unsatisfiable, but the object now has " + size
                            + " bytes; it changed while being read", null);
                }
                return new GetResult(new byte[0], metadata);
            });
        }

        private long startIn(long size) {
            try {
                return range.startIn(size);
            } catch (IllegalArgumentException e) {
                throw new PermanentObjectStoreException(path, "get " + range + " of " + describeKey(path)
                        + " failed: " + e.getMessage(), e);
            }
        }

        private GetResult slice(byte[] whole, ObjectMetadata metadata) {
            int start = (int) startIn(metadata.size());
            int end = (int) range.endIn(metadata.size());
            byte[] data = new byte[end - start];
            System.arraycopy(whole, start, data, 0, data.length);
            return new GetResult(data, metadata);
        }
    }

    // Path rules are StorePaths'; call sites turn the IllegalArgumentException into a failed future.

    static void checkPath(String path) {
        StorePaths.pathProblem(path).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    static void checkPrefix(String prefix) {
        StorePaths.prefixProblem(prefix).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /**
     * Where and how to reach the bucket. Build with {@link #forBucket(String)} and the {@code with*}
     * methods, or parse a URL with {@link #fromUri(URI)}.
     *
     * @param bucket         the bucket name
     * @param prefix         the key prefix every path is stored under, without leading or trailing
     *                       {@code /}; empty for the bucket root
     * @param region         the AWS region, or null to take the SDK's default region provider chain
     *                       and then {@code us-east-1}
     * @param endpoint       an endpoint to use instead of AWS's (for S3-compatible servers), or null
     * @param pathStyle      whether to address the bucket in the path rather than the host name
     * @param credentials    fixed credentials, or null for the SDK's default credentials provider chain
     * @param connectTimeout how long to wait for a connection
     * @param requestTimeout how long one request may take in total, including sending and receiving
     *                       the body
     * @param maxConnections the most connections (and so concurrent requests) to the endpoint
     * @param idleConnectionTimeout how long a pooled connection may stay idle before the client closes
     *                       it; keep it below the server's own idle timeout, or the client may send
     *                       a request on a connection the server has just closed (a transient error)
     */
    public record Config(String bucket, String prefix, String region, URI endpoint, boolean pathStyle,
                         StaticCredentials credentials, Duration connectTimeout, Duration requestTimeout,
                         int maxConnections, Duration idleConnectionTimeout) {

        /** Like the Rust object_store client: give up on a connection after 5 s. */
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
        /** Like the Rust object_store client: give up on a request after 30 s. */
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
        /** Enough for SlateDB's parallel SST reads and uploads without queueing. */
        public static final int DEFAULT_MAX_CONNECTIONS = 64;
        /** The AWS SDK's default: close a connection idle for 60 s. */
        public static final Duration DEFAULT_IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(60);

        public Config {
            Objects.requireNonNull(bucket, "bucket");
            if (bucket.isEmpty() || bucket.contains("/")) {
                throw new IllegalArgumentException("bucket name must be non-empty and contain no '/': '" + bucket + "'");
            }
            prefix = normalisePrefix(prefix == null ? "" : prefix);
            if (region != null && region.isBlank()) {
                throw new IllegalArgumentException("region must not be blank");
            }
            if (endpoint != null && (!endpoint.isAbsolute() || endpoint.getHost() == null
                    || !("http".equalsIgnoreCase(endpoint.getScheme()) || "https".equalsIgnoreCase(endpoint.getScheme())))) {
                throw new IllegalArgumentException("endpoint must be an absolute http or https URL: " + endpoint);
            }
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(requestTimeout, "requestTimeout");
            requirePositive(idleConnectionTimeout, "idleConnectionTimeout");
            if (maxConnections <= 0) {
                throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
            }
        }

        /** A configuration for {@code bucket} with no prefix and every other setting at its default. */
        public static Config forBucket(String bucket) {
            return new Config(bucket, "", null, null, false, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                    DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_CONNECTION_TIMEOUT);
        }

        /**
         * Parses {@code s3://bucket[/prefix][?param=value&...]}. Parameters (all optional):
         * <ul>
         *   <li>{@code endpoint}: an http(s) URL of an S3-compatible server;</li>
         *   <li>{@code region}: the region (default: the SDK's region provider chain, then
         *       {@code us-east-1});</li>
         *   <li>{@code path_style}: {@code true} or {@code false} (default);</li>
         *   <li>{@code access_key_id} and {@code secret_access_key}, both or neither: fixed credentials
         *       instead of the SDK's default credentials chain. Meant for tests and local servers; a
         *       secret in a URL ends up wherever the URL is logged.</li>
         *   <li>{@code idle_connection_timeout}: a duration such as {@code 5s} (SlateDB's duration
         *       syntax): how long a pooled connection may stay idle (default 60 s); keep it below the
         *       server's own idle timeout.</li>
         * </ul>
         * Values are URL-decoded.
         *
         * @throws IllegalArgumentException naming the problem: another scheme, no bucket, an unknown or
         *                                  repeated parameter, a bad value
         */
        public static Config fromUri(URI uri) {
            return S3UriParser.parse(uri);
        }

        /** This configuration with another key prefix (outer {@code /} are dropped). */
        public Config withPrefix(String newPrefix) {
            return new Config(bucket, newPrefix, region, endpoint, pathStyle, credentials, connectTimeout,
                    requestTimeout, maxConnections, idleConnectionTimeout);
        }

        /** This configuration with another region (null: the SDK's region chain, then {@code us-east-1}). */
        public Config withRegion(String newRegion) {
            return new Config(bucket, prefix, newRegion, endpoint, pathStyle, credentials, connectTimeout,
                    requestTimeout, maxConnections, idleConnectionTimeout);
        }

        /** This configuration with another endpoint (null: AWS's own). */
        public Config withEndpoint(URI newEndpoint) {
            return new Config(bucket, prefix, region, newEndpoint, pathStyle, credentials, connectTimeout,
                    requestTimeout, maxConnections, idleConnectionTimeout);
        }

        /** This configuration with path-style addressing switched on or off. */
        public Config withPathStyle(boolean newPathStyle) {
            return new Config(bucket, prefix, region, endpoint, newPathStyle, credentials, connectTimeout,
                    requestTimeout, maxConnections, idleConnectionTimeout);
        }

        /** This configuration with fixed credentials (null: the SDK's default credentials chain). */
        public Config withCredentials(StaticCredentials newCredentials) {
            return new Config(bucket, prefix, region, endpoint, pathStyle, newCredentials, connectTimeout,
                    requestTimeout, maxConnections, idleConnectionTimeout);
        }

        /** This configuration with another connection timeout. */
        public Config withConnectTimeout(Duration newConnectTimeout) {
            return new Config(bucket, prefix, region, endpoint, pathStyle, credentials, newConnectTimeout,
                    requestTimeout, maxConnections, idleConnectionTimeout);
        }

        /** This configuration with another timeout for a whole request. */
        public Config withRequestTimeout(Duration newRequestTimeout) {
            return new Config(bucket, prefix, region, endpoint, pathStyle, credentials, connectTimeout,
                    newRequestTimeout, maxConnections, idleConnectionTimeout);
        }

        /** This configuration with another connection limit. */
        public Config withMaxConnections(int newMaxConnections) {
            return new Config(bucket, prefix, region, endpoint, pathStyle, credentials, connectTimeout,
                    requestTimeout, newMaxConnections, idleConnectionTimeout);
        }

        /** This configuration with another idle time after which the client closes a pooled connection. */
        public Config withIdleConnectionTimeout(Duration newIdleConnectionTimeout) {
            return new Config(bucket, prefix, region, endpoint, pathStyle, credentials, connectTimeout,
                    requestTimeout, maxConnections, newIdleConnectionTimeout);
        }

        private static String normalisePrefix(String prefix) {
            String trimmed = prefix;
            while (trimmed.startsWith("/")) {
                trimmed = trimmed.substring(1);
            }
            while (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            if (!trimmed.isEmpty()) {
                try {
                    checkPath(trimmed);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid key prefix: " + e.getMessage(), e);
                }
            }
            return trimmed;
        }

        private static void requirePositive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
        }
    }

    /** An access key pair. {@link #toString()} hides the secret. */
    public record StaticCredentials(String accessKeyId, String secretAccessKey) {
        public StaticCredentials {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
                throw new IllegalArgumentException("access key id and secret access key must not be empty");
            }
        }

        @Override
        public String toString() {
            return "StaticCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****]";
        }
    }
}

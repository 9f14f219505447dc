package io.slatedb.it;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * S3Proxy in this JVM (its filesystem backend in a temporary directory: the one with atomic
 * create-if-absent, which SlateDB's manifest commits need) whose blob store can be told to fail its next N requests with
 * S3's {@code 500 InternalError}, so that every client of the server, in any JVM, sees real S3 errors.
 * (The engine's {@code S3ProxyServer} builds its blob store itself and has no such hook.)
 */
final class FaultyS3Server implements AutoCloseable {

    static final String BUCKET = "slatedb-it";
    private static final String REGION = "us-east-1";
    private static final String ACCESS_KEY = "slatedb-it-access-key";
    private static final String SECRET_KEY = "slatedb-it-secret-key";

    private final S3Proxy proxy;
    private final BlobStore store;
    private final Path directory;
    private final AtomicInteger toFail;
    private final AtomicLong failed;

    private FaultyS3Server(S3Proxy proxy, BlobStore store, Path directory, AtomicInteger toFail, AtomicLong failed) {
        this.proxy = proxy;
        this.store = store;
        this.directory = directory;
        this.toFail = toFail;
        this.failed = failed;
    }

    static FaultyS3Server start() throws Exception {
        Path directory = Files.createTempDirectory("slatedb-it-s3-");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        BlobStore store = BlobStores.create("filesystem-nio2", properties);
        store.createContainer(BUCKET);
        AtomicInteger toFail = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        BlobStore faulty = new FailingBlobStore(store, toFail, failed);
        S3Proxy proxy = S3Proxy.builder().blobStore(faulty).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        // Jetty's start returns once the connector is bound.
        if (!"STARTED".equals(proxy.getState())) {
            proxy.stop();
            throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        return new FaultyS3Server(proxy, store, directory, toFail, failed);
    }

    /** The {@code s3://} store URL of {@code prefix} in the bucket, with endpoint and credentials. */
    String storeUrl(String prefix) {
        return "s3://" + BUCKET + "/" + prefix
                + "?endpoint=" + URLEncoder.encode("http://127.0.0.1:" + proxy.getPort(), StandardCharsets.UTF_8)
                + "&region=" + REGION + "&path_style=true"
                + "&access_key_id=" + ACCESS_KEY + "&secret_access_key=" + SECRET_KEY
                // below the 30 s after which S3Proxy (Jetty) closes idle connections
                + "&idle_connection_timeout=5s";
    }

    /** Makes the next {@code count} requests (of any client) fail with {@code 500 InternalError}. */
    void failNext(int count) {
        toFail.set(count);
    }

    /** How many of the requests {@link #failNext} asked for are still to fail. */
    int stillToFail() {
        return toFail.get();
    }

    /** How many requests were failed on purpose. */
    long failed() {
        return failed.get();
    }

    /**
     * Fails the requests SlateDB's store makes (list, head, get, put, copy, delete) while failures are
     * owed. A {@link ForwardingBlobStore}, which S3Proxy looks through when it asks what the backend
     * supports (conditional writes among it).
     */
    private static final class FailingBlobStore extends ForwardingBlobStore {
        private final AtomicInteger toFail;
        private final AtomicLong failed;

        FailingBlobStore(BlobStore delegate, AtomicInteger toFail, AtomicLong failed) {
            super(delegate);
            this.toFail = toFail;
            this.failed = failed;
        }

        private void maybeFail() {
            if (toFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                failed.incrementAndGet();
                throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "injected fault");
            }
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            maybeFail();
            return super.list(request);
        }

        @Override
        public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
            maybeFail();
            return super.blobMetadata(request);
        }

        @Override
        public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
            maybeFail();
            return super.getBlob(request);
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
            maybeFail();
            return super.putBlob(request, content);
        }

        @Override
        public CopyObjectResponse copyBlob(CopyObjectRequest request) {
            maybeFail();
            return super.copyBlob(request);
        }

        @Override
        public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
            maybeFail();
            return super.removeBlob(request);
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        store.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

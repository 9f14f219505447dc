package io.slatedb.it;

import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline on MinIO in a container (Testcontainers): the same scenario as {@link PipelineS3ProxyIT}
 * against a real S3 server outside the JVM. Where Docker is not available the class is skipped, and
 * JUnit reports it as disabled because Docker is not available. MinIO cannot be told to fail requests,
 * so the store-error step is skipped here.
 */
@Testcontainers(disabledWithoutDocker = true)
class PipelineMinioIT extends PipelineScenario {

    private static final String BUCKET = "slatedb-it";

    @Container
    static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2025-09-07T16-13-09Z");

    @Override
    String storeUrl() throws Exception {
        URI endpoint = URI.create(MINIO.getS3URL());
        try (S3AsyncClient client = S3AsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MINIO.getUserName(), MINIO.getPassword())))
                .build()) {
            client.createBucket(b -> b.bucket(BUCKET)).get(1, TimeUnit.MINUTES);
        }
        return "s3://" + BUCKET + "/pipeline-it?endpoint=" + URLEncoder.encode(endpoint.toString(), StandardCharsets.UTF_8)
                + "&region=us-east-1&path_style=true"
                + "&access_key_id=" + URLEncoder.encode(MINIO.getUserName(), StandardCharsets.UTF_8)
                + "&secret_access_key=" + URLEncoder.encode(MINIO.getPassword(), StandardCharsets.UTF_8);
    }

    @Override
    boolean failStoreRequests(int count) {
        return false;
    }

    @Override
    boolean storeFailuresServed() {
        return true;
    }

    @Override
    void stopStore() {
        // the Testcontainers extension stops the container
    }
}

package io.slatedb.store;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/** Builds the SDK's asynchronous S3 client for an {@link S3ObjectStore.Config}. */
final class S3ClientFactory {

    /** The region used when neither the configuration nor the SDK's region chain names one. */
    static final Region FALLBACK_REGION = Region.US_EAST_1;

    private S3ClientFactory() {
    }

    static S3AsyncClient create(S3ObjectStore.Config config) {
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .region(region(config))
                .credentialsProvider(credentials(config))
                .forcePathStyle(config.pathStyle())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .connectionTimeout(config.connectTimeout())
                        .maxConcurrency(config.maxConnections())
                        .connectionMaxIdleTime(config.idleConnectionTimeout()))
                .overrideConfiguration(override -> override
                        .apiCallTimeout(config.requestTimeout())
                        // Retries belong to RetryingObjectStore, which can resolve an ambiguous
                        // conditional put; an SDK-internal retry would hide that the put was retried.
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        return builder.build();
    }

    static Region region(S3ObjectStore.Config config) {
        if (config.region() != null) {
            return Region.of(config.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            return FALLBACK_REGION;
        }
    }

    private static AwsCredentialsProvider credentials(S3ObjectStore.Config config) {
        if (config.credentials() != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    config.credentials().accessKeyId(), config.credentials().secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}

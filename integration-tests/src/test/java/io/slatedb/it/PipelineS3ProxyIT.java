package io.slatedb.it;

/**
 * The pipeline on S3Proxy in this JVM: the state backend's databases, the sink's and the source's all live
 * in one bucket behind a real S3 protocol endpoint, which can be made to fail requests with S3 errors.
 */
class PipelineS3ProxyIT extends PipelineScenario {

    private FaultyS3Server s3;

    @Override
    String storeUrl() throws Exception {
        s3 = FaultyS3Server.start();
        return s3.storeUrl("pipeline-it");
    }

    @Override
    boolean failStoreRequests(int count) {
        s3.failNext(count);
        return true;
    }

    @Override
    boolean storeFailuresServed() {
        return s3.stillToFail() == 0;
    }

    @Override
    void stopStore() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }
}

package io.slatedb.it;

import io.slatedb.pipeline.Await;
import io.slatedb.pipeline.Order;
import io.slatedb.pipeline.OrderGenerator;
import io.slatedb.pipeline.Pipeline;
import io.slatedb.pipeline.TopicView;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pipeline end to end, one fault after another: orders to Kafka, the Flink job's per-customer totals
 * (keyed state on the SlateDB backend, checkpoints as SlateDB checkpoints in the store) written exactly
 * once to the totals topic, the sink connector writing them into a database, the source connector tailing
 * that database into the changes topic. After every step the changes topic's last-write-wins state, read
 * with {@code read_committed}, must equal the totals computed from the orders, exactly. The tests run in
 * order on one pipeline (one Kafka child and one MiniCluster per class); subclasses give the store.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
abstract class PipelineScenario {

    private static final Duration CONVERGE = Duration.ofMinutes(3);
    private static final int CUSTOMERS = 5_000;

    @TempDir
    static Path work;

    Pipeline pipeline;
    OrderGenerator orders;
    JobID job;
    TopicView changes;

    /** The URL of the store every database of the pipeline lives in. */
    abstract String storeUrl() throws Exception;

    /** Makes the store fail its next {@code count} requests; false when this store cannot. */
    abstract boolean failStoreRequests(int count);

    /** Whether the failures asked for have all been served. */
    abstract boolean storeFailuresServed();

    /** Stops the store, once nothing uses it any more. */
    abstract void stopStore() throws Exception;

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES) // a Kafka child JVM and a MiniCluster on a shared machine
    void startPipeline() throws Exception {
        pipeline = Pipeline.start(new Pipeline.Options(storeUrl(), work, 2, 2, Duration.ofMillis(500)));
        orders = new OrderGenerator(pipeline.bootstrapServers(), Pipeline.ORDERS, CUSTOMERS, 42);
        job = pipeline.submit(Order.ALL, null);
        changes = new TopicView(pipeline.bootstrapServers(), Pipeline.CHANGES);
    }

    @AfterAll
    void stopPipeline() throws Exception {
        if (changes != null) {
            changes.close();
        }
        if (orders != null) {
            orders.close();
        }
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            stopStore(); // after the pipeline: its parts flush their databases as they stop
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void changesEqualTheTotalsOfTheOrders() throws Exception {
        orders.send(3_000, Order.ALL);

        assertChangesConverge();
        assertThat(pipeline.completedCheckpoints(job)).isPositive();
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aKilledTaskManagerIsRecoveredFromTheLastCheckpoint() throws Exception {
        orders.send(1_000, Order.ALL);
        // The job's subtasks run on one or both task managers: kill each in turn, with a new one to move to.
        pipeline.flink().startTaskManager();
        pipeline.flink().terminateTaskManager(0).get(1, TimeUnit.MINUTES);
        pipeline.flink().startTaskManager();
        pipeline.flink().terminateTaskManager(1).get(1, TimeUnit.MINUTES);
        orders.send(1_000, Order.ALL);

        assertChangesConverge();
        assertThat(pipeline.checkpoints(job).getCounts().getNumberOfRestoredCheckpoints())
                .as("the job restarted from a checkpoint").isPositive();
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aRestartedSinkTaskWritesEveryTotalOnce() throws Exception {
        orders.send(1_000, Order.ALL);
        pipeline.connect().restartTask(Pipeline.SINK, 0);
        orders.send(1_000, Order.ALL);
        pipeline.connect().awaitRunning(Pipeline.SINK, 1, CONVERGE);

        assertChangesConverge();
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void aRestartedSourceTaskEmitsEveryChangeOnce() throws Exception {
        orders.send(1_000, Order.ALL);
        pipeline.connect().restartTask(Pipeline.SOURCE, 0);
        orders.send(1_000, Order.ALL);
        pipeline.connect().awaitRunning(Pipeline.SOURCE, 1, CONVERGE);

        assertChangesConverge();
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void aBurstOfStoreErrorsIsRetriedByEveryClient() throws Exception {
        assumeTrue(failStoreRequests(0), "this store cannot inject errors");
        orders.send(1_000, Order.ALL);
        failStoreRequests(40);
        orders.send(1_000, Order.ALL);
        Await.until("the 40 store errors served", CONVERGE, this::storeFailuresServed);
        orders.send(500, Order.ALL);

        assertChangesConverge();
        assertThat(pipeline.connect().running(Pipeline.SINK, 1)).isTrue();
        assertThat(pipeline.connect().running(Pipeline.SOURCE, 1)).isTrue();
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void twoForksFromANativeSavepointContinueWithoutCopyingState() throws Exception {
        orders.send(1_000, Order.ALL);
        assertChangesConverge();
        String savepoint = pipeline.stopWithSavepoint(job);
        long state = pipeline.bytesUnder(Pipeline.jobPrefix(job));
        long before = pipeline.bytesUnder(Pipeline.FLINK_PATH + "/");

        JobID forkA = pipeline.submit("a", savepoint);
        JobID forkB = pipeline.submit("b", savepoint);
        pipeline.awaitMoreCheckpoints(forkA, 1, CONVERGE);
        pipeline.awaitMoreCheckpoints(forkB, 1, CONVERGE);
        long forkBytes = pipeline.bytesUnder(Pipeline.FLINK_PATH + "/") - before;

        assertThat(pipeline.checkpoints(forkA).getCounts().getNumberOfRestoredCheckpoints()).isEqualTo(1);
        assertThat(pipeline.checkpoints(forkB).getCounts().getNumberOfRestoredCheckpoints()).isEqualTo(1);
        assertThat(forkBytes).as("bytes the two forks added (state: %d bytes)", state).isLessThan(state / 4);

        orders.mark();
        orders.send(1_000, Order.ALL);
        orders.send(1_000, "a");
        orders.send(1_000, "b");
        // A fork's topic holds what it wrote after the restore: the totals of the customers it took orders of.
        Map<String, String> expectedA = orders.expectedTotalsSinceMark("a");
        Map<String, String> expectedB = orders.expectedTotalsSinceMark("b");
        try (TopicView totalsA = new TopicView(pipeline.bootstrapServers(), Pipeline.totalsTopic("a"));
             TopicView totalsB = new TopicView(pipeline.bootstrapServers(), Pipeline.totalsTopic("b"))) {
            assertConverges(totalsA, expectedA);
            assertConverges(totalsB, expectedB);
        }
        assertThat(expectedA).isNotEqualTo(expectedB);
    }

    private void assertChangesConverge() throws Exception {
        assertConverges(changes, orders.expectedTotals(Order.ALL));
    }

    private static void assertConverges(TopicView view, Map<String, String> expected) throws Exception {
        try {
            Await.until("the topic's state equal to the totals of the orders", CONVERGE,
                    () -> view.catchUp().state().equals(expected));
        } catch (TimeoutException e) {
            assertThat(view.state()).as(e.getMessage()).isEqualTo(expected);
        }
    }
}

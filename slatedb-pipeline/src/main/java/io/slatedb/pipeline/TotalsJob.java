package io.slatedb.pipeline;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * The pipeline's Flink job: orders from Kafka, per-customer totals in keyed state (a {@code ValueState}
 * on whatever state backend the configuration selects), each new total written exactly once to a Kafka
 * topic (a transactional {@link KafkaSink}, committed at each checkpoint), key the customer and value the
 * total as decimal text. A fork runs the same job restored from a savepoint, takes the orders meant for
 * every job and for it, and writes its own topic.
 */
public final class TotalsJob {

    /** The operators' ids, kept across savepoints and forks. */
    static final String SOURCE_UID = "orders-source";
    static final String FILTER_UID = "fork-filter";
    static final String TOTALS_UID = "customer-totals";
    static final String SINK_UID = "totals-sink";

    private TotalsJob() {
    }

    /**
     * What to run.
     *
     * @param bootstrapServers the broker
     * @param ordersTopic the orders topic
     * @param totalsTopic the topic the totals go to
     * @param fork {@link Order#ALL} for the original job, else the fork's name (which orders it takes)
     * @param parallelism the job's parallelism
     * @param savepoint the savepoint to restore (in NO_CLAIM mode), or null
     */
    public record Spec(String bootstrapServers, String ordersTopic, String totalsTopic, String fork, int parallelism,
                       String savepoint) {
    }

    /** The job graph of {@code spec}, with {@code config} (state backend, checkpoints) as its configuration. */
    public static JobGraph jobGraph(Configuration config, Spec spec) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(spec.parallelism());
        String name = spec.fork().isEmpty() ? "main" : "fork-" + spec.fork();
        KafkaSource<Order> source = KafkaSource.<Order>builder()
                .setBootstrapServers(spec.bootstrapServers())
                .setTopics(spec.ordersTopic())
                .setGroupId("slatedb-pipeline-" + name)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("commit.offsets.on.checkpoint", "false")
                .setDeserializer(new OrderDeserializer())
                .build();
        KafkaSink<Total> sink = KafkaSink.<Total>builder()
                .setBootstrapServers(spec.bootstrapServers())
                .setRecordSerializer(new TotalSerializer(spec.totalsTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix("slatedb-pipeline-" + name)
                // Below the broker's transaction.max.timeout.ms (15 minutes); Flink's default is an hour.
                .setProperty("transaction.timeout.ms", "60000")
                .build();
        String fork = spec.fork();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders").uid(SOURCE_UID)
                .filter(order -> order.isFor(fork)).uid(FILTER_UID).name("orders for " + name)
                .keyBy(Order::customer)
                .process(new CustomerTotals()).uid(TOTALS_UID).name("customer totals")
                .sinkTo(sink).uid(SINK_UID).name("totals to " + spec.totalsTopic());
        StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName("slatedb-pipeline " + name);
        JobGraph graph = streamGraph.getJobGraph();
        if (spec.savepoint() != null) {
            graph.setSavepointRestoreSettings(
                    SavepointRestoreSettings.forPath(spec.savepoint(), false, RecoveryClaimMode.NO_CLAIM));
        }
        return graph;
    }

    /** A customer's new total. */
    public record Total(String customer, long total) {
    }

    /** Adds each order to its customer's total in keyed state and emits the new total. */
    static final class CustomerTotals extends KeyedProcessFunction<String, Order, Total> {
        private transient ValueState<Long> total;

        @Override
        public void open(OpenContext context) {
            total = getRuntimeContext().getState(new ValueStateDescriptor<>("total", Types.LONG));
        }

        @Override
        public void processElement(Order order, Context context, Collector<Total> out) throws Exception {
            Long before = total.value();
            long after = (before == null ? 0 : before) + order.amount();
            total.update(after);
            out.collect(new Total(order.customer(), after));
        }
    }

    /** Orders from records: key the customer, value {@code amount} or {@code amount@fork}. */
    static final class OrderDeserializer implements KafkaRecordDeserializationSchema<Order> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Order> out) {
            out.collect(Order.parse(new String(record.key(), StandardCharsets.UTF_8),
                    new String(record.value(), StandardCharsets.UTF_8)));
        }

        @Override
        public TypeInformation<Order> getProducedType() {
            return TypeInformation.of(Order.class);
        }
    }

    /** A total as a record of {@code topic}: key the customer, value the total as decimal text. */
    static final class TotalSerializer implements KafkaRecordSerializationSchema<Total> {
        private final String topic;

        TotalSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(Total total, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, total.customer().getBytes(StandardCharsets.UTF_8),
                    Long.toString(total.total()).getBytes(StandardCharsets.UTF_8));
        }
    }
}

package io.slatedb.pipeline.kafka;

import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The main class of the pipeline's Kafka child JVM: one KRaft broker and one Connect worker
 * ({@link EmbeddedConnectCluster}) with exactly-once source support, the SlateDB connectors found through
 * their ServiceLoader manifests on this JVM's class path.
 *
 * <p>Protocol with the parent: once both are up it prints one line
 * {@code READY bootstrap=<servers> connect=<REST URL>} on stdout; it stops the worker and the broker and
 * exits when its stdin says {@code stop} or ends (so a parent that dies takes its child with it).
 * Arguments: {@code name=value} pairs added to the worker's properties.
 */
public final class KafkaConnectRuntime {

    /** The prefix of the line that announces the endpoints. */
    public static final String READY = "READY";

    private KafkaConnectRuntime() {
    }

    public static void main(String[] args) throws IOException {
        Properties broker = new Properties();
        // One broker: the transaction log (exactly-once source, Flink's transactional sink) must fit it.
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        broker.put("group.initial.rebalance.delay.ms", "0");
        Map<String, String> worker = new HashMap<>(); // the harness adds to it: must be mutable
        worker.put("plugin.discovery", "service_load");
        worker.put("exactly.once.source.support", "enabled");
        worker.put("offset.flush.interval.ms", "1000");
        worker.put("connector.client.config.override.policy", "All");
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not a name=value worker property: " + arg);
            }
            worker.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder().name("slatedb-pipeline")
                .numWorkers(1).numBrokers(1).brokerProps(broker).workerProps(worker).build();
        connect.start();
        try {
            System.out.println(READY + " bootstrap=" + connect.kafka().bootstrapServers()
                    + " connect=" + connect.endpointForResource("connectors").replaceAll("/connectors$", ""));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                // nothing else is understood; the parent only ever says stop
            }
        } finally {
            connect.stop();
        }
        System.exit(0);
    }
}

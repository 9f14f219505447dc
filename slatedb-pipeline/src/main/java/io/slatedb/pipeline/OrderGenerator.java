package io.slatedb.pipeline;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes random orders to the orders topic (an idempotent producer, so a retried send is not doubled) and
 * keeps the totals they must produce: per customer, for the original job and for each fork.
 */
public final class OrderGenerator implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final int customers;
    private final Random random;
    private final Map<String, Long> shared = new HashMap<>();
    private final Map<String, Map<String, Long>> forks = new HashMap<>();
    private final Map<String, Set<String>> touchedSinceMark = new HashMap<>();
    private final AtomicLong sent = new AtomicLong();

    /**
     * @param bootstrapServers the broker
     * @param topic the orders topic
     * @param customers how many customers the orders are spread over
     * @param seed the seed of the orders (the same seed gives the same orders)
     */
    public OrderGenerator(String bootstrapServers, String topic, int customers, long seed) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        this.topic = topic;
        this.customers = customers;
        this.random = new Random(seed);
    }

    /** Customer {@code i}'s name. */
    public static String customer(int i) {
        return String.format("customer-%05d", i);
    }

    /**
     * Sends {@code count} orders for {@code fork} ({@link Order#ALL} for every job) and returns when the
     * broker has every one of them.
     */
    public synchronized void send(int count, String fork) {
        Map<String, Long> totals = fork.isEmpty() ? shared : forks.computeIfAbsent(fork, f -> new HashMap<>());
        for (int i = 0; i < count; i++) {
            Order order = new Order(customer(random.nextInt(customers)), 1 + random.nextInt(100), fork);
            producer.send(new ProducerRecord<>(topic, order.customer(), order.value()));
            totals.merge(order.customer(), order.amount(), Long::sum);
            touchedSinceMark.computeIfAbsent(fork, f -> new HashSet<>()).add(order.customer());
            sent.incrementAndGet();
        }
        producer.flush();
    }

    /** How many orders were sent. */
    public long sent() {
        return sent.get();
    }

    /**
     * The totals the job running as {@code fork} ({@link Order#ALL} for the original job) must reach: the
     * sum of the orders it takes, per customer, as the decimal text the job writes.
     */
    public synchronized Map<String, String> expectedTotals(String fork) {
        Map<String, Long> sum = new HashMap<>(shared);
        if (!fork.isEmpty()) {
            forks.getOrDefault(fork, Map.of()).forEach((customer, amount) -> sum.merge(customer, amount, Long::sum));
        }
        Map<String, String> text = new HashMap<>();
        sum.forEach((customer, total) -> text.put(customer, Long.toString(total)));
        return text;
    }

    /** Starts a new record of the customers orders go to (see {@link #expectedTotalsSinceMark}). */
    public synchronized void mark() {
        touchedSinceMark.clear();
    }

    /**
     * The {@linkplain #expectedTotals expected totals} of only the customers {@code fork} took orders of
     * since the last {@link #mark()}: what a job restored at the mark writes to its own topic.
     */
    public synchronized Map<String, String> expectedTotalsSinceMark(String fork) {
        Set<String> touched = new HashSet<>(touchedSinceMark.getOrDefault(Order.ALL, Set.of()));
        touched.addAll(touchedSinceMark.getOrDefault(fork, Set.of()));
        Map<String, String> totals = expectedTotals(fork);
        totals.keySet().retainAll(touched);
        return totals;
    }

    @Override
    public void close() {
        producer.close();
    }
}

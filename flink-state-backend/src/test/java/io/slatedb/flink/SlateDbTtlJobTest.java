package io.slatedb.flink;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's TTL'd state expires: each key's value, written with a TTL, is read back at once (present) and
 * again from a processing-time timer due when the TTL has passed on the clock TTL uses (gone), while a
 * state without TTL written with it is still there. The timer, not a sleep, decides when to look.
 */
@Timeout(300)
class SlateDbTtlJobTest {

    private static final int KEYS = 10;
    private static final Duration TTL = Duration.ofMillis(300);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    static Path tmp;

    static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    static final CountDownLatch ALL_CHECKED = new CountDownLatch(2 * KEYS);

    @Test
    void ttlStateIsGoneAfterItsTimeToLiveWhileStateWithoutTtlStays() throws Exception {
        Configuration config = TestStores.jobConfig(tmp);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        // Unbounded: a finished job would not fire its pending processing-time timers.
        DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(index -> index, Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(100), Types.LONG);
        env.fromSource(numbers, WatermarkStrategy.noWatermarks(), "numbers")
                .keyBy(n -> n % KEYS)
                .process(new ExpiringValue())
                .sinkTo(new SeenSink());
        JobClient job = env.executeAsync("slatedb-ttl");
        CompletableFuture<Void> checked = CompletableFuture.runAsync(() -> {
            try {
                ALL_CHECKED.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture.anyOf(checked, job.getJobExecutionResult()).get();
        job.cancel().get();
        assertThat(job.getJobExecutionResult()).failsWithin(Duration.ofMinutes(2));

        Set<String> expected = new HashSet<>();
        for (long key = 0; key < KEYS; key++) {
            expected.add(key + " written: ttl=" + key + " plain=" + key);
            expected.add(key + " after ttl: ttl=null plain=" + key);
        }
        assertThat(SEEN).isEqualTo(expected);
    }

    /** On a key's first record: writes both states and reads them; after the TTL reads them again. */
    static final class ExpiringValue extends KeyedProcessFunction<Long, Long, String> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> withTtl;
        private transient ValueState<Long> plain;

        @Override
        public void open(OpenContext context) {
            ValueStateDescriptor<Long> ttlDescriptor = new ValueStateDescriptor<>("with-ttl", Types.LONG);
            ttlDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(TTL).build());
            withTtl = getRuntimeContext().getState(ttlDescriptor);
            plain = getRuntimeContext().getState(new ValueStateDescriptor<>("plain", Types.LONG));
        }

        @Override
        public void processElement(Long value, Context context, Collector<String> out) throws Exception {
            if (plain.value() != null) {
                return;
            }
            long key = context.getCurrentKey();
            withTtl.update(key);
            plain.update(key);
            out.collect(key + " written: ttl=" + withTtl.value() + " plain=" + plain.value());
            // TTL and processing time read the same clock; read after the write so the timer is due only
            // when the value's time to live has passed.
            context.timerService().registerProcessingTimeTimer(
                    context.timerService().currentProcessingTime() + TTL.toMillis());
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<String> out) throws Exception {
            out.collect(context.getCurrentKey() + " after ttl: ttl=" + withTtl.value() + " plain=" + plain.value());
        }
    }

    static final class SeenSink implements Sink<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<String> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(String seen, Context context) {
                    SEEN.add(seen);
                    ALL_CHECKED.countDown();
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}

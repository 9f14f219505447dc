package io.slatedb.metrics;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of {@link SimpleMetricRegistry} over generated names and durations. */
class SimpleMetricRegistryPropertiesTest {

    /** The naming rule, spelled out segment by segment instead of as a regular expression. */
    private static boolean followsTheRule(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (String segment : name.split("\\.", -1)) {
            if (segment.isEmpty()) {
                return false;
            }
            for (char c : segment.toCharArray()) {
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                    return false;
                }
            }
        }
        return true;
    }

    @Provide
    Arbitrary<String> names() {
        // Mostly valid characters, so that both outcomes are common.
        return Arbitraries.strings().withChars("abz09_..").withChars("A-/ é").ofMaxLength(12);
    }

    @Property(tries = 2000)
    void aNameIsAcceptedExactlyWhenItFollowsTheRule(@ForAll("names") String name) {
        SimpleMetricRegistry registry = new SimpleMetricRegistry();
        if (followsTheRule(name)) {
            registry.counter(name, "d").add(3);
            assertEquals(Map.of(name, 3L), registry.snapshot());
        } else {
            assertThrows(IllegalArgumentException.class, () -> registry.counter(name, "d"));
            assertTrue(registry.snapshot().isEmpty());
        }
    }

    @Property(tries = 300)
    void aTimerReportsTheCountSumAndMaxOfItsDurations(
            @ForAll @Size(max = 50) List<@LongRange(max = 1_000_000_000_000L) Long> durations) {
        SimpleMetricRegistry registry = new SimpleMetricRegistry();
        SimpleTimer timer = registry.timer("op.latency", "d");

        durations.forEach(timer::record);

        long sum = durations.stream().mapToLong(Long::longValue).sum();
        long max = durations.stream().mapToLong(Long::longValue).max().orElse(0);
        assertEquals(Map.of("op.latency.count", (long) durations.size(), "op.latency.total_nanos", sum,
                "op.latency.max_nanos", max), registry.snapshot());
        assertEquals(max, timer.maxNanos());
    }

    @Property(tries = 500)
    void snapshotNamesNeverCollide(@ForAll @Size(max = 8) List<@From("instruments") String> asks) {
        // Each ask is "kind:name". Were two accepted instruments to report one snapshot name, the
        // snapshot would have fewer entries than the accepted instruments report.
        SimpleMetricRegistry registry = new SimpleMetricRegistry();
        int expected = 0;
        Set<String> accepted = new HashSet<>();
        for (String ask : asks) {
            String kind = ask.substring(0, ask.indexOf(':'));
            String name = ask.substring(ask.indexOf(':') + 1);
            try {
                switch (kind) {
                    case "counter" -> registry.counter(name, "d");
                    case "gauge" -> registry.gauge(name, "d", () -> 0);
                    default -> registry.timer(name, "d");
                }
                if (accepted.add(name)) {
                    expected += kind.equals("timer") ? 3 : 1;
                }
            } catch (IllegalArgumentException refused) {
                // a kind clash or a collision: refused, and the registry is unchanged
            }
        }
        assertEquals(expected, registry.snapshot().size());
    }

    @Provide
    Arbitrary<String> instruments() {
        Arbitrary<String> kinds = Arbitraries.of("counter", "gauge", "timer");
        Arbitrary<String> names = Arbitraries.of("a", "a.count", "a.max_nanos", "a.total_nanos", "a.count.count", "b");
        return kinds.flatMap(kind -> names.map(name -> kind + ":" + name));
    }
}

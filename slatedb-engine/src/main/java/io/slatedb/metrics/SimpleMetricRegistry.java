package io.slatedb.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The default {@link MetricRegistry}: keeps every instrument in this process and reads them all at
 * once with {@link #snapshot()}, for tests, the command line and applications that poll their metrics
 * rather than bridge them into another system.
 *
 * <p>Each name belongs to one instrument for the registry's life: asking again for a name returns the
 * instrument already there (its first description is kept; a gauge keeps its first supplier), and
 * asking for it as another kind of instrument is an error rather than a silent second instrument. As
 * a timer {@code x} appears in snapshots as {@code x.count}, {@code x.total_nanos} and
 * {@code x.max_nanos}, a name that would collide with one of those is refused too, so that every
 * snapshot entry has exactly one source.
 *
 * <p>Thread-safe. Updates go straight to the instruments and take no lock; registering a new name
 * takes a short lock, which the engine pays once per instrument when a database opens.
 */
public final class SimpleMetricRegistry implements MetricRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SimpleMetricRegistry.class);

    // Read without a lock (lookups of existing names, snapshots); written only under `lock`.
    private final Map<String, Registered> instruments = new ConcurrentHashMap<>();
    // The snapshot names taken so far, each to the instrument that reports it. Guarded by `lock`.
    private final Map<String, String> reportedBy = new HashMap<>();
    private final Object lock = new Object();

    /** An empty registry. */
    public SimpleMetricRegistry() {
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the name is invalid or already used by a gauge or timer (or
     *                                  collides with a timer's snapshot names)
     */
    @Override
    public Counter counter(String name, String description) {
        Registered registered = register(name, description, () -> new CounterEntry(description, new SimpleCounter()));
        if (registered instanceof CounterEntry entry) {
            return entry.counter();
        }
        throw kindClash(name, registered, "counter");
    }

    /**
     * {@inheritDoc} A supplier that throws when read leaves the gauge out of that snapshot.
     *
     * @throws IllegalArgumentException if the name is invalid or already used by a counter or timer (or
     *                                  collides with a timer's snapshot names)
     */
    @Override
    public void gauge(String name, String description, LongSupplier value) {
        Objects.requireNonNull(value, "value");
        Registered registered = register(name, description, () -> new GaugeEntry(description, value));
        if (!(registered instanceof GaugeEntry)) {
            throw kindClash(name, registered, "gauge");
        }
    }

    /**
     * {@inheritDoc} The timer also keeps the longest duration, readable from the returned
     * {@link SimpleTimer}.
     *
     * @throws IllegalArgumentException if the name is invalid or already used by a counter or gauge (or
     *                                  its snapshot names collide with another instrument's)
     */
    @Override
    public SimpleTimer timer(String name, String description) {
        Registered registered = register(name, description, () -> new TimerEntry(description, new SimpleTimer()));
        if (registered instanceof TimerEntry entry) {
            return entry.timer();
        }
        throw kindClash(name, registered, "timer");
    }

    /**
     * Every value now, by name, in name order: a counter under its name; a timer {@code x} as
     * {@code x.count}, {@code x.total_nanos} and {@code x.max_nanos}; a gauge under its name, read now
     * (left out if its supplier throws). Instruments are read one after another, so values updated
     * meanwhile may be from slightly different moments. The map is immutable.
     */
    public SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> values = new TreeMap<>();
        instruments.forEach((name, registered) -> registered.report(name, values));
        return Collections.unmodifiableSortedMap(values);
    }

    /**
     * The description an instrument was first registered with; empty for a name no instrument has (a
     * timer's snapshot names such as {@code x.count} have none of their own: ask for {@code x}).
     */
    public Optional<String> description(String name) {
        Objects.requireNonNull(name, "name");
        Registered registered = instruments.get(name);
        return registered == null ? Optional.empty() : Optional.of(registered.description());
    }

    /** Names the instruments without reading them: a gauge's supplier runs only when a snapshot asks. */
    @Override
    public String toString() {
        return "SimpleMetricRegistry" + new TreeMap<>(instruments).keySet();
    }

    /** The instrument of {@code name}, whatever its kind; created by {@code create} if the name is new. */
    private Registered register(String name, String description, Supplier<? extends Registered> create) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Registered existing = instruments.get(name);
        if (existing != null) {
            return existing;
        }
        synchronized (lock) {
            existing = instruments.get(name);
            if (existing != null) {
                return existing;
            }
            MetricNames.requireValid(name);
            Registered created = create.get();
            claimReportedNames(name, created);
            instruments.put(name, created);
            return created;
        }
    }

    private static IllegalArgumentException kindClash(String name, Registered existing, String wanted) {
        return new IllegalArgumentException("metric '" + name + "' is already a " + existing.kind()
                + "; it cannot also be a " + wanted);
    }

    /** Takes the snapshot names of a new instrument, or fails if another instrument reports any of them. */
    private void claimReportedNames(String name, Registered created) {
        List<String> names = created.reportedNames(name);
        for (String reported : names) {
            String owner = reportedBy.get(reported);
            if (owner != null) {
                throw new IllegalArgumentException("metric '" + name + "' (a " + created.kind() + ") would report '"
                        + reported + "', which " + instruments.get(owner).kind() + " '" + owner + "' already reports");
            }
        }
        for (String reported : names) {
            reportedBy.put(reported, name);
        }
    }

    /** One registered instrument and how it appears in snapshots. */
    private sealed interface Registered {
        String description();

        String kind();

        /** The snapshot names of this instrument when registered as {@code name}. */
        default List<String> reportedNames(String name) {
            return List.of(name);
        }

        /** Puts this instrument's current values, registered as {@code name}, into {@code into}. */
        void report(String name, Map<String, Long> into);
    }

    private record CounterEntry(String description, SimpleCounter counter) implements Registered {
        @Override
        public String kind() {
            return "counter";
        }

        @Override
        public void report(String name, Map<String, Long> into) {
            into.put(name, counter.count());
        }
    }

    private record TimerEntry(String description, SimpleTimer timer) implements Registered {
        @Override
        public String kind() {
            return "timer";
        }

        @Override
        public List<String> reportedNames(String name) {
            return List.of(name + ".count", name + ".total_nanos", name + ".max_nanos");
        }

        @Override
        public void report(String name, Map<String, Long> into) {
            into.put(name + ".count", timer.count());
            into.put(name + ".total_nanos", timer.totalNanos());
            into.put(name + ".max_nanos", timer.maxNanos());
        }
    }

    private record GaugeEntry(String description, LongSupplier value) implements Registered {
        @Override
        public String kind() {
            return "gauge";
        }

        @Override
        public void report(String name, Map<String, Long> into) {
            long current;
            try {
                current = value.getAsLong();
            } catch (RuntimeException e) {
                // A gauge reads someone else's state (a cache, a queue) that may be closed or broken;
                // one bad gauge must not take every other metric down with it.
                LOG.debug("gauge {} could not be read; leaving it out of the snapshot", name, e);
                return;
            }
            into.put(name, current);
        }
    }
}

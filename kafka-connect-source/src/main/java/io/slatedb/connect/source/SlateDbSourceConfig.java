package io.slatedb.connect.source;

import io.slatedb.MergeOperator;
import io.slatedb.connect.StoreConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration of {@link SlateDbSourceConnector}: which databases to capture, where their records
 * go, where capture starts and what happens when the WAL it needs is gone. Every option is a constant here
 * and documented in {@link #CONFIG_DEF}.
 */
public final class SlateDbSourceConfig extends AbstractConfig {

    /** The object store URL (see {@link StoreConfig#STORE}). */
    public static final String STORE = StoreConfig.STORE;

    /** The database path, or a comma-separated list of paths in the store; tasks divide them. */
    public static final String PATH = "slatedb.path";

    /** The topic, or a template in which {@value #PATH_VARIABLE} stands for the database path. */
    public static final String TOPIC = "topic";

    /** What {@value #TOPIC} replaces with the database path (characters Kafka forbids become {@code _}). */
    public static final String PATH_VARIABLE = "${path}";

    /** How long a task that has caught up waits before it looks for new WAL files again. */
    public static final String POLL_INTERVAL_MS = "slatedb.poll.interval.ms";

    /** Default of {@value #POLL_INTERVAL_MS}: 200 ms. */
    public static final long POLL_INTERVAL_MS_DEFAULT = 200;

    /** Where a database without a stored offset starts: {@code snapshot}, {@code latest} or {@code earliest}. */
    public static final String START_FROM = "slatedb.start.from";

    /** What happens when the WAL a task must read next is gone: {@code fail}, {@code resnapshot} or {@code catch-up}. */
    public static final String WAL_GAP_POLICY = "slatedb.wal.gap.policy";

    /**
     * How long the retention slot (and a snapshot's checkpoint) outlives the last time a task moved it: a
     * stopped or deleted connector releases the WAL it held once this has passed.
     */
    public static final String RETENTION_MAX_LAG = "slatedb.retention.max.lag";

    /** Default of {@value #RETENTION_MAX_LAG}: one hour, in milliseconds. */
    public static final long RETENTION_MAX_LAG_DEFAULT = Duration.ofHours(1).toMillis();

    /** Whether the task holds a WAL retention slot at its committed position. */
    public static final String RETENTION_ENABLED = "slatedb.retention.enabled";

    /** The most records one poll returns (a WAL file is never split, so a poll may return more). */
    public static final String MAX_RECORDS_PER_POLL = "slatedb.max.records.per.poll";

    /** Default of {@value #MAX_RECORDS_PER_POLL}. */
    public static final int MAX_RECORDS_PER_POLL_DEFAULT = 10_000;

    /**
     * A {@link MergeOperator} class with a public no-arg constructor that snapshots and catch-ups fold merge
     * operands with (the writer's operator); none by default.
     */
    public static final String MERGE_OPERATOR_CLASS = "slatedb.merge.operator.class";

    /** The names of the task's databases; set by the connector for each task, not by users. */
    static final String TASK_PATHS = "slatedb.task.paths";

    /** Where a database without a stored offset starts. */
    public enum StartFrom {
        /** A consistent snapshot of every live key at a checkpoint, then the WAL after it (default). */
        SNAPSHOT,
        /** Only changes made after the task started. */
        LATEST,
        /** Every change the oldest WAL file still stored holds, and on. */
        EARLIEST;

        String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What happens when the WAL a task must read next has been garbage-collected. */
    public enum GapPolicy {
        /** The task fails with an error naming the missing WAL range (default). */
        FAIL,
        /** A new snapshot of every live key, then streaming after it. */
        RESNAPSHOT,
        /**
         * The newest version of every key changed since the offset (by sequence number), then streaming:
         * deletes made in the gap are not seen.
         */
        CATCH_UP;

        String configValue() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final String GROUP_DB = "Database";
    private static final String GROUP_CAPTURE = "Capture";

    /** Every option, documented and validated. */
    public static final ConfigDef CONFIG_DEF = configDef();

    private static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        StoreConfig.define(def, GROUP_DB, 0);
        def.define(PATH, ConfigDef.Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new NonEmptyPaths(),
                ConfigDef.Importance.HIGH, "The path of the database in the store, or a comma-separated list of "
                        + "paths: each is captured separately (its own source partition and offsets), and the tasks "
                        + "divide them.", GROUP_DB, 1, ConfigDef.Width.LONG, "Database path(s)");
        def.define(TOPIC, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                ConfigDef.Importance.HIGH, "The topic the records of a database go to. " + PATH_VARIABLE
                        + " stands for the database path, with every character Kafka does not allow in a topic name "
                        + "replaced by '_' (slatedb.path=orders/eu and topic=cdc.${path} give cdc.orders_eu).",
                GROUP_CAPTURE, 0, ConfigDef.Width.MEDIUM, "Topic");
        def.define(POLL_INTERVAL_MS, ConfigDef.Type.LONG, POLL_INTERVAL_MS_DEFAULT, ConfigDef.Range.between(10, 60_000),
                ConfigDef.Importance.MEDIUM, "How long a task that has read everything waits before it looks for new "
                        + "WAL files again. A durable write reaches Kafka within about this plus a produce.",
                GROUP_CAPTURE, 1, ConfigDef.Width.SHORT, "Poll interval (ms)");
        def.define(START_FROM, ConfigDef.Type.STRING, StartFrom.SNAPSHOT.configValue(),
                ConfigDef.CaseInsensitiveValidString.in(values(StartFrom.values())), ConfigDef.Importance.MEDIUM,
                "Where a database with no stored offset starts: snapshot (every live key at a checkpoint, then the WAL "
                        + "after it, with nothing missed or doubled at the seam), latest (only changes after the start) "
                        + "or earliest (every change in the WAL files still stored).",
                GROUP_CAPTURE, 2, ConfigDef.Width.SHORT, "Start from");
        def.define(WAL_GAP_POLICY, ConfigDef.Type.STRING, GapPolicy.FAIL.configValue(),
                ConfigDef.CaseInsensitiveValidString.in(values(GapPolicy.values())), ConfigDef.Importance.MEDIUM,
                "What happens when the WAL file a task must read next has been garbage-collected: fail (the task fails "
                        + "with an error naming the missing WAL range), resnapshot (a new snapshot of every live key, "
                        + "then the WAL after it) or catch-up (the newest version of every key changed since the "
                        + "offset, found by sequence number, then the WAL; keys deleted in the gap are not seen).",
                GROUP_CAPTURE, 3, ConfigDef.Width.SHORT, "WAL gap policy");
        def.define(RETENTION_ENABLED, ConfigDef.Type.BOOLEAN, true, ConfigDef.Importance.MEDIUM,
                "Whether each task holds a WAL retention slot in its databases (a checkpoint named "
                        + "kafka-connect-source:<connector name>) at the position Kafka has committed, so the garbage "
                        + "collector keeps the WAL the task has not read yet.",
                GROUP_CAPTURE, 4, ConfigDef.Width.SHORT, "Retention slot");
        def.define(RETENTION_MAX_LAG, ConfigDef.Type.LONG, RETENTION_MAX_LAG_DEFAULT,
                ConfigDef.Range.atLeast(1_000), ConfigDef.Importance.MEDIUM,
                "How long, in milliseconds, the retention slot and a running snapshot's checkpoint live after the task "
                        + "last moved them. A running task moves them as offsets are committed; a stopped or deleted "
                        + "connector lets go of the WAL once this has passed.",
                GROUP_CAPTURE, 5, ConfigDef.Width.SHORT, "Retention max lag (ms)");
        def.define(MAX_RECORDS_PER_POLL, ConfigDef.Type.INT, MAX_RECORDS_PER_POLL_DEFAULT, ConfigDef.Range.atLeast(1),
                ConfigDef.Importance.LOW, "About how many records one poll returns: a poll stops after the WAL file "
                        + "that reaches it (a WAL file, and so a write batch, is never split across polls).",
                GROUP_CAPTURE, 6, ConfigDef.Width.SHORT, "Max records per poll");
        def.define(MERGE_OPERATOR_CLASS, ConfigDef.Type.CLASS, null, new MergeOperatorClass(),
                ConfigDef.Importance.MEDIUM, "The class of the database's merge operator (an "
                        + "io.slatedb.MergeOperator with a public no-arg constructor, on the plugin's class path), "
                        + "which snapshots and catch-ups fold merge operands with, as the writer does. Without it a "
                        + "snapshot of a key whose newest rows are merge operands fails. Streaming emits operands "
                        + "raw either way.",
                GROUP_CAPTURE, 7, ConfigDef.Width.LONG, "Merge operator class");
        def.defineInternal(TASK_PATHS, ConfigDef.Type.LIST, "", ConfigDef.Importance.LOW);
        return def;
    }

    /** Parses and validates {@code props}. */
    public SlateDbSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    /** The object store URL. */
    public String store() {
        return getString(STORE);
    }

    /** Every database path of the connector. */
    public List<String> paths() {
        return getList(PATH);
    }

    /** The databases of one task (what the connector gave it), or every path when none were given. */
    List<String> taskPaths() {
        List<String> task = getList(TASK_PATHS);
        return task.isEmpty() ? paths() : task;
    }

    /** The topic of database {@code path}. */
    public String topicFor(String path) {
        String safe = path.replaceAll("[^a-zA-Z0-9._-]", "_");
        return getString(TOPIC).replace(PATH_VARIABLE, safe);
    }

    /** {@value #POLL_INTERVAL_MS} as a duration. */
    public Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS));
    }

    /** {@value #START_FROM}. */
    public StartFrom startFrom() {
        return StartFrom.valueOf(getString(START_FROM).toUpperCase(Locale.ROOT));
    }

    /** {@value #WAL_GAP_POLICY}. */
    public GapPolicy gapPolicy() {
        return GapPolicy.valueOf(getString(WAL_GAP_POLICY).toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** {@value #RETENTION_ENABLED}. */
    public boolean retentionEnabled() {
        return getBoolean(RETENTION_ENABLED);
    }

    /** {@value #RETENTION_MAX_LAG} as a duration. */
    public Duration retentionMaxLag() {
        return Duration.ofMillis(getLong(RETENTION_MAX_LAG));
    }

    /** {@value #MAX_RECORDS_PER_POLL}. */
    public int maxRecordsPerPoll() {
        return getInt(MAX_RECORDS_PER_POLL);
    }

    /** A new instance of {@value #MERGE_OPERATOR_CLASS}, or null when none is configured. */
    MergeOperator newMergeOperator() {
        Class<?> type = getClass(MERGE_OPERATOR_CLASS);
        if (type == null) {
            return null;
        }
        try {
            return (MergeOperator) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException i ? i.getCause() : e;
            throw new ConfigException(MERGE_OPERATOR_CLASS, type.getName(),
                    "could not create the merge operator: " + cause);
        }
    }

    private static String[] values(StartFrom[] constants) {
        return Arrays.stream(constants).map(StartFrom::configValue).toArray(String[]::new);
    }

    private static String[] values(GapPolicy[] constants) {
        return Arrays.stream(constants).map(GapPolicy::configValue).toArray(String[]::new);
    }

    /** A {@link MergeOperator} implementation with a public no-arg constructor, or nothing. */
    private static final class MergeOperatorClass implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            Class<?> type = (Class<?>) value;
            if (!MergeOperator.class.isAssignableFrom(type)) {
                throw new ConfigException(name, type.getName(), "not an implementation of " + MergeOperator.class.getName());
            }
            try {
                if (!Modifier.isPublic(type.getConstructor().getModifiers())
                        || Modifier.isAbstract(type.getModifiers())) {
                    throw new NoSuchMethodException();
                }
            } catch (NoSuchMethodException e) {
                throw new ConfigException(name, type.getName(), "a merge operator class needs a public no-arg constructor");
            }
        }

        @Override
        public String toString() {
            return "an io.slatedb.MergeOperator class with a public no-arg constructor";
        }
    }

    /** At least one path, none empty, none given twice. */
    private static final class NonEmptyPaths implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return; // ConfigDef reports a missing required value itself
            }
            @SuppressWarnings("unchecked")
            List<String> paths = (List<String>) value;
            if (paths.isEmpty()) {
                throw new ConfigException(name, value, "at least one database path is needed");
            }
            if (paths.stream().anyMatch(p -> p.isBlank())) {
                throw new ConfigException(name, value, "a database path is empty");
            }
            if (paths.stream().distinct().count() != paths.size()) {
                throw new ConfigException(name, value, "a database path is given twice");
            }
        }

        @Override
        public String toString() {
            return "one or more distinct database paths, comma-separated";
        }
    }
}

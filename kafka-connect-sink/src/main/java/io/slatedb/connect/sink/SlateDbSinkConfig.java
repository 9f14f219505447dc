package io.slatedb.connect.sink;

import io.slatedb.Settings;
import io.slatedb.connect.EngineSettingsConfig;
import io.slatedb.connect.StoreConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration of the SlateDB sink connector and its tasks. Besides Connect's own settings
 * ({@code topics} or {@code topics.regex}, {@code tasks.max}, converters, {@code errors.*}), it takes:
 * {@value StoreConfig#STORE}, {@value #PATH}, {@value #KEY_PREFIX}, {@value #TOMBSTONE_BEHAVIOR},
 * {@value #STORE_RETRY_TIMEOUT_MS}, {@value #RETRY_BACKOFF_MS} and every engine setting as
 * {@value EngineSettingsConfig#PREFIX}{@code <name>}.
 */
public final class SlateDbSinkConfig extends AbstractConfig {

    /** The database path in the store; may contain {@value #TOPIC_VARIABLE} and {@value #PARTITION_VARIABLE}. */
    public static final String PATH = "slatedb.path";
    /** A prefix put before every record's key; {@value #TOPIC_VARIABLE} stands for the record's topic. */
    public static final String KEY_PREFIX = "key.prefix";
    /** What a record with a null value does: {@code delete}, {@code ignore} or {@code fail}. */
    public static final String TOMBSTONE_BEHAVIOR = "tombstone.behavior";
    /** How long the engine retries a failing object-store request before the task gives up on it. */
    public static final String STORE_RETRY_TIMEOUT_MS = "slatedb.store.retry.timeout.ms";
    /** How long Connect waits before redelivering records after a transient store failure. */
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

    /** In {@value #PATH} and {@value #KEY_PREFIX}: the topic name. */
    public static final String TOPIC_VARIABLE = "${topic}";
    /** In {@value #PATH}: the partition number. */
    public static final String PARTITION_VARIABLE = "${partition}";

    static final String GROUP_DATABASE = "Database";
    static final String GROUP_RECORDS = "Records";
    static final String GROUP_RETRIES = "Retries";
    static final String GROUP_ENGINE = "Engine settings";

    private static final String PATH_DOC = "The database path in the object store, such as orders or dbs/orders. "
            + "With one path (no variables) the connector writes one database and runs one task, because a "
            + "SlateDB database has a single writer. " + TOPIC_VARIABLE + " and " + PARTITION_VARIABLE
            + " give each topic partition its own database (for example kafka/" + TOPIC_VARIABLE + "/"
            + PARTITION_VARIABLE + "), so that tasks.max above 1 spreads the partitions over tasks.";
    private static final String KEY_PREFIX_DOC = "Bytes (the UTF-8 text) put before every record's key in the "
            + "database; " + TOPIC_VARIABLE + " stands for the record's topic (after transforms), so "
            + TOPIC_VARIABLE + "/ keeps the keys of several topics apart. Empty by default.";
    private static final String TOMBSTONE_DOC = "What a record with a null value (a tombstone) does: delete "
            + "removes its key from the database, ignore skips it, fail rejects it as a bad record "
            + "(errors.tolerance and the dead letter queue apply). An empty value is always a put of an empty value.";
    private static final String STORE_RETRY_TIMEOUT_DOC = "How long the engine retries a failing object-store "
            + "request. When it gives up, the task drops the database handle (nothing it acknowledged is lost: "
            + "Kafka offsets are only committed for durable data) and Connect redelivers the records after "
            + RETRY_BACKOFF_MS + "; the task reopens the database and resumes from the offsets stored in it.";
    private static final String RETRY_BACKOFF_DOC = "How long Connect waits before redelivering records after a "
            + "transient store failure.";

    /** The connector's settings, with documentation, validators and recommenders; {@link #configDef()} gives a copy. */
    static final ConfigDef CONFIG_DEF = define();

    /** The connector's settings, with documentation, validators and recommenders (a copy the caller may change). */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    /** Parses and checks {@code props}. */
    public SlateDbSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    private static ConfigDef define() {
        ConfigDef def = new ConfigDef();
        StoreConfig.define(def, GROUP_DATABASE, 1);
        def.define(PATH, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new PathValidator(),
                ConfigDef.Importance.HIGH, PATH_DOC, GROUP_DATABASE, 2, ConfigDef.Width.LONG, "Database path");
        def.define(KEY_PREFIX, ConfigDef.Type.STRING, "", new KeyPrefixValidator(), ConfigDef.Importance.MEDIUM,
                KEY_PREFIX_DOC, GROUP_RECORDS, 1, ConfigDef.Width.MEDIUM, "Key prefix");
        def.define(TOMBSTONE_BEHAVIOR, ConfigDef.Type.STRING, TombstoneBehavior.DELETE.configName(),
                ConfigDef.CaseInsensitiveValidString.in(TombstoneBehavior.names()), ConfigDef.Importance.MEDIUM,
                TOMBSTONE_DOC, GROUP_RECORDS, 2, ConfigDef.Width.SHORT, "Tombstone behavior", List.of(),
                new FixedChoices(TombstoneBehavior.names()));
        def.define(STORE_RETRY_TIMEOUT_MS, ConfigDef.Type.LONG, 30_000L, ConfigDef.Range.atLeast(1),
                ConfigDef.Importance.LOW, STORE_RETRY_TIMEOUT_DOC, GROUP_RETRIES, 1, ConfigDef.Width.SHORT,
                "Store retry timeout (ms)");
        def.define(RETRY_BACKOFF_MS, ConfigDef.Type.LONG, 1_000L, ConfigDef.Range.atLeast(0),
                ConfigDef.Importance.LOW, RETRY_BACKOFF_DOC, GROUP_RETRIES, 2, ConfigDef.Width.SHORT,
                "Retry backoff (ms)");
        EngineSettingsConfig.define(def, GROUP_ENGINE);
        return def;
    }

    /** The object store URL. */
    public String store() {
        return getString(StoreConfig.STORE);
    }

    /** The database path template. */
    DatabasePathTemplate path() {
        return DatabasePathTemplate.parse(getString(PATH));
    }

    /** The key prefix template. */
    public String keyPrefix() {
        return getString(KEY_PREFIX);
    }

    /** What a tombstone does. */
    public TombstoneBehavior tombstoneBehavior() {
        return TombstoneBehavior.parse(getString(TOMBSTONE_BEHAVIOR));
    }

    /** How long the engine retries a failing store request, in milliseconds. */
    public long storeRetryTimeoutMs() {
        return getLong(STORE_RETRY_TIMEOUT_MS);
    }

    /** The backoff before redelivery after a transient failure, in milliseconds. */
    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }

    /** The engine settings the databases are opened with. */
    public Settings engineSettings() {
        return EngineSettingsConfig.settings(originalsStrings());
    }

    /** What a record with a null value does. */
    public enum TombstoneBehavior {
        /** Delete the key. */
        DELETE,
        /** Skip the record (its offset still advances). */
        IGNORE,
        /** Reject the record as a bad record. */
        FAIL;

        /** The setting's word for it. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static String[] names() {
            return Arrays.stream(values()).map(TombstoneBehavior::configName).toArray(String[]::new);
        }

        static TombstoneBehavior parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Checks that a path template names valid database paths. */
    private static final class PathValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return; // a missing required value is reported by ConfigDef itself
            }
            try {
                DatabasePathTemplate.parse((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "a database path such as dbs/orders; may contain " + TOPIC_VARIABLE + " and " + PARTITION_VARIABLE;
        }
    }

    /** Only {@value #TOPIC_VARIABLE} may appear in the key prefix. */
    private static final class KeyPrefixValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : (String) value;
            String rest = text.replace(TOPIC_VARIABLE, "");
            if (rest.contains("${")) {
                throw new ConfigException(name, value, "only " + TOPIC_VARIABLE + " may appear as a variable");
            }
        }

        @Override
        public String toString() {
            return "text, may contain " + TOPIC_VARIABLE;
        }
    }

    /** A fixed list of choices for the validation endpoint's drop-downs. */
    private record FixedChoices(String[] choices) implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return List.of((Object[]) choices);
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }
}

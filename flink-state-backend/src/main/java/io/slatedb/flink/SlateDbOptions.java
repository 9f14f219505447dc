package io.slatedb.flink;

import io.slatedb.InvalidSettingException;
import io.slatedb.SettingDescriptor;
import io.slatedb.Settings;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every configuration option of the SlateDB state backend. Select the backend with
 * {@code state.backend.type: io.slatedb.flink.SlateDbStateBackendFactory} and set at least
 * {@link #STORE}:
 *
 * <pre>{@code
 * state.backend.type: io.slatedb.flink.SlateDbStateBackendFactory
 * state.backend.slatedb.store: s3://bucket/prefix
 * state.backend.slatedb.path: flink
 * state.backend.slatedb.settings.l0_sst_size_bytes: 32MiB
 * }</pre>
 *
 * <p>The engine settings ({@link #engineSettings()}) are generated from {@link Settings#schema()}: one
 * option {@value #SETTINGS_PREFIX}{@code <name>} per engine setting.
 */
@PublicEvolving
public final class SlateDbOptions {

    /** The prefix of every option of this backend. */
    public static final String PREFIX = "state.backend.slatedb.";

    /** The prefix of the options passed to the engine as its settings. */
    public static final String SETTINGS_PREFIX = PREFIX + "settings.";

    /** The object store that holds the databases. */
    public static final ConfigOption<String> STORE = ConfigOptions.key(PREFIX + "store")
            .stringType()
            .noDefaultValue()
            .withDescription("The object store that holds the state databases, as a URL: file:///absolute/dir or"
                    + " s3://bucket/prefix?region=...&endpoint=... Required.");

    /** The root of the job databases in the store. */
    public static final ConfigOption<String> PATH = ConfigOptions.key(PREFIX + "path")
            .stringType()
            .defaultValue("flink")
            .withDescription("The path in the store under which each job keeps its databases, one per operator"
                    + " subtask and attempt: <path>/<job id>/<operator id>/...");

    /** Whether managed memory sizes the engine's caches and write buffers. */
    public static final ConfigOption<Boolean> USE_MANAGED_MEMORY = ConfigOptions.key(PREFIX + "memory.managed")
            .booleanType()
            .defaultValue(true)
            .withDescription("If true, the slot's managed memory share sizes each database's block cache,"
                    + " metadata cache and unflushed write bytes (engine settings given explicitly win). The"
                    + " engine keeps these on the JVM heap, so the task heap must have room for them.");

    /** Where the timers (Flink's priority queues) live. */
    public enum TimerServiceFactory {
        /** In the keyed state database: part of every SlateDB checkpoint, restored and rescaled by the clone. */
        SLATEDB,
        /** In Flink's heap priority queues, written into the operator's raw keyed state at every snapshot. */
        HEAP
    }

    /** Where the timers live ({@link TimerServiceFactory}). */
    public static final ConfigOption<TimerServiceFactory> TIMER_SERVICE_FACTORY =
            ConfigOptions.key(PREFIX + "timer-service.factory")
                    .enumType(TimerServiceFactory.class)
                    .defaultValue(TimerServiceFactory.SLATEDB)
                    .withDescription("Where timers are kept. slatedb (default): in the keyed state database, so"
                            + " that a checkpoint holds them without writing anything else and the clone restores"
                            + " and rescales them with the state; a small cache keeps the earliest timers of each"
                            + " key group in memory. heap: in Flink's heap priority queues, which the operator"
                            + " writes into its raw keyed state at every snapshot (all timers must fit in the"
                            + " heap). Either can restore a snapshot taken with the other.");

    /** What a NATIVE savepoint's databases are. */
    public enum SavepointMode {
        /**
         * Pinned clones of the job's databases: metadata only, whatever the state's size, but the savepoint
         * reads the job's SSTs where they are, so it lives in the same store and pins them there.
         */
        CLONE,
        /**
         * Detached databases with SSTs of their own (every row read at the checkpoint and written again):
         * costs the state's size in time and bytes, and the savepoint survives the deletion of the job's
         * databases.
         */
        COPY
    }

    /** What NATIVE savepoints write ({@link SavepointMode}). */
    public static final ConfigOption<SavepointMode> SAVEPOINT_MODE = ConfigOptions.key(PREFIX + "savepoint.mode")
            .enumType(SavepointMode.class)
            .defaultValue(SavepointMode.CLONE)
            .withDescription("What each subtask's part of a NATIVE savepoint is. clone (default): a pinned clone"
                    + " of the subtask's database, under <path>/savepoints/, made of metadata only (no SST"
                    + " copied); it pins the job's SSTs until the savepoint is disposed. copy: a detached database"
                    + " with SSTs of its own (the state is read and written once), which survives the deletion"
                    + " of the job's databases and pins nothing.");

    private static final List<ConfigOption<String>> ENGINE_SETTINGS = Settings.schema().stream()
            .map(SlateDbOptions::engineOption)
            .toList();

    private static final Set<String> ENGINE_SETTING_NAMES = Settings.schema().stream()
            .map(SettingDescriptor::name)
            .collect(Collectors.toUnmodifiableSet());

    private static final Set<String> STORE_SCHEMES = Set.of("file", "s3");

    private SlateDbOptions() {
    }

    /** One option per engine setting of {@link Settings#schema()}, named {@value #SETTINGS_PREFIX}{@code <name>}. */
    public static List<ConfigOption<String>> engineSettings() {
        return ENGINE_SETTINGS;
    }

    private static ConfigOption<String> engineOption(SettingDescriptor setting) {
        String defaultText = setting.defaultValue() == null ? "enabled" : setting.defaultValue();
        return ConfigOptions.key(SETTINGS_PREFIX + setting.name())
                .stringType()
                .noDefaultValue()
                .withDescription(setting.description() + " Engine default: " + defaultText + ".");
    }

    /**
     * The engine settings {@code config} sets, by engine name, each checked on its own.
     *
     * @throws IllegalConfigurationException naming the option, when a value does not parse or (for a
     *                                       {@link Configuration}) a key under {@value #SETTINGS_PREFIX}
     *                                       names no engine setting
     */
    static Map<String, String> engineSettingsOf(ReadableConfig config) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (config instanceof Configuration configuration) {
            for (String key : configuration.keySet()) {
                if (key.startsWith(SETTINGS_PREFIX) && !ENGINE_SETTING_NAMES.contains(key.substring(SETTINGS_PREFIX.length()))) {
                    throw new IllegalConfigurationException("Unknown option " + key + ": "
                            + key.substring(SETTINGS_PREFIX.length()) + " is not an engine setting (see Settings.schema()).");
                }
            }
        }
        for (ConfigOption<String> option : ENGINE_SETTINGS) {
            Optional<String> value = config.getOptional(option);
            value.ifPresent(v -> settings.put(option.key().substring(SETTINGS_PREFIX.length()), v));
        }
        return settings;
    }

    /**
     * The engine settings with {@code overrides} applied to the defaults.
     *
     * @throws IllegalConfigurationException naming the option of the offending setting
     */
    static Settings engineSettings(Map<String, String> overrides) {
        try {
            return Settings.DEFAULT.withOverrides(overrides);
        } catch (InvalidSettingException e) {
            throw new IllegalConfigurationException("Invalid value for " + SETTINGS_PREFIX + e.setting() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Checks the form of a store URL without opening the store.
     *
     * @throws IllegalConfigurationException naming {@link #STORE}
     */
    static String checkStore(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalConfigurationException("Option " + STORE.key() + " is required: the object store of the"
                    + " state databases, e.g. file:///absolute/dir or s3://bucket/prefix.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalConfigurationException("Invalid value for " + STORE.key() + ": \"" + url
                    + "\" is not a URL (" + e.getMessage() + ").", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!STORE_SCHEMES.contains(scheme)) {
            throw new IllegalConfigurationException("Invalid value for " + STORE.key() + ": \"" + url
                    + "\"; expected file:///absolute/dir or s3://bucket/prefix (a store every task manager shares).");
        }
        return url;
    }

    /**
     * Checks a database root path.
     *
     * @throws IllegalConfigurationException naming {@link #PATH}
     */
    static String checkPath(String path) {
        if (path == null || path.isBlank() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalConfigurationException("Invalid value for " + PATH.key() + ": \"" + path
                    + "\"; expected a relative path such as flink or team/flink (no leading, trailing or double /).");
        }
        return path;
    }
}

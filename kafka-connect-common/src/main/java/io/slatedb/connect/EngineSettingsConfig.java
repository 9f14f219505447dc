package io.slatedb.connect;

import io.slatedb.InvalidSettingException;
import io.slatedb.SettingDescriptor;
import io.slatedb.SettingType;
import io.slatedb.Settings;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine settings a connector passes to its databases: every setting of {@link Settings#schema()}
 * becomes a connector setting named {@value #PREFIX}{@code <engine setting>} (for example
 * {@code slatedb.settings.l0_sst_size_bytes=32MiB}), with the engine's own description, syntax check and
 * default. A setting left out keeps the engine's default.
 */
public final class EngineSettingsConfig {

    /** The prefix of the engine settings among a connector's settings. */
    public static final String PREFIX = "slatedb.settings.";

    private EngineSettingsConfig() {
    }

    /**
     * Adds one optional entry per engine setting to {@code def}, in {@code group}, in schema order.
     * Each checks the syntax of its value; rules that relate several settings are checked by
     * {@link #settings} and {@link #validate}.
     */
    public static ConfigDef define(ConfigDef def, String group) {
        int order = 0;
        for (SettingDescriptor setting : Settings.schema()) {
            ConfigDef.Recommender recommender = setting.type() == SettingType.CHOICE ? new Choices(setting) : null;
            def.define(PREFIX + setting.name(), ConfigDef.Type.STRING, null, new Syntax(setting),
                    ConfigDef.Importance.LOW, documentation(setting), group, ++order, ConfigDef.Width.MEDIUM,
                    setting.name(), List.of(), recommender);
        }
        return def;
    }

    /**
     * The engine settings {@code props} give: its {@value #PREFIX} entries applied over the defaults.
     *
     * @throws ConfigException naming the connector setting when a value does not parse, a name is not
     *                         an engine setting, or settings contradict each other
     */
    public static Settings settings(Map<String, ?> props) {
        try {
            return Settings.fromMap(engineEntries(props));
        } catch (InvalidSettingException e) {
            Object value = props.get(PREFIX + e.setting());
            throw new ConfigException(PREFIX + e.setting(), value, e.reason());
        }
    }

    /**
     * Adds what {@link #settings} finds wrong in {@code props} to a connector's validation result:
     * to the entry of the offending setting, or as an entry of its own for a name that is not an
     * engine setting (a misspelt one, which {@link ConfigDef} would otherwise ignore).
     */
    public static void validate(Map<String, String> props, Config result) {
        InvalidSettingException problem;
        try {
            Settings.fromMap(engineEntries(props));
            return;
        } catch (InvalidSettingException e) {
            problem = e;
        }
        String name = PREFIX + problem.setting();
        String message = new ConfigException(name, props.get(name), problem.reason()).getMessage();
        for (ConfigValue value : result.configValues()) {
            if (value.name().equals(name)) {
                if (value.errorMessages().isEmpty()) {
                    value.addErrorMessage(message);
                }
                return;
            }
        }
        ConfigValue unknown = new ConfigValue(name, props.get(name), List.of(), new ArrayList<>());
        unknown.addErrorMessage(message);
        result.configValues().add(unknown);
    }

    private static Map<String, String> engineEntries(Map<String, ?> props) {
        Map<String, String> entries = new LinkedHashMap<>();
        props.forEach((key, value) -> {
            if (key.startsWith(PREFIX) && value != null) {
                entries.put(key.substring(PREFIX.length()), value.toString());
            }
        });
        return entries;
    }

    private static String documentation(SettingDescriptor setting) {
        String engineDefault = setting.defaultValue() == null ? "enabled, with its members' defaults"
                : setting.defaultValue();
        String syntax = switch (setting.type()) {
            case DURATION -> " A duration such as 100ms, 5m or 7days.";
            case BYTES -> " A size in bytes, such as 4096 or 64MiB.";
            case INT, LONG -> " An integer.";
            case DOUBLE -> " A decimal number.";
            case BOOLEAN -> " true or false.";
            case CHOICE -> " One of " + String.join(", ", setting.choices()) + ".";
            case GROUP -> " Only none, which disables the group.";
        };
        return setting.description() + syntax + (setting.acceptsNone() && setting.type() != SettingType.GROUP
                ? " none leaves it unset." : "") + " Engine default: " + engineDefault + ".";
    }

    /** Checks one value as the engine parses it. */
    private record Syntax(SettingDescriptor setting) implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            try {
                setting.check(value.toString());
            } catch (InvalidSettingException e) {
                throw new ConfigException(name, value, e.reason());
            }
        }

        @Override
        public String toString() {
            return setting.type().name().toLowerCase(java.util.Locale.ROOT)
                    + (setting.choices().isEmpty() ? "" : " " + setting.choices());
        }
    }

    /** The accepted words of a choice setting, for the validation endpoint's drop-downs. */
    private record Choices(SettingDescriptor setting) implements ConfigDef.Recommender {
        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return List.copyOf(setting.choices());
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }
}

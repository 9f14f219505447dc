package io.slatedb.connect;

import io.slatedb.CompressionCodec;
import io.slatedb.SettingDescriptor;
import io.slatedb.Settings;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class EngineSettingsConfigTest {

    private final ConfigDef def = EngineSettingsConfig.define(new ConfigDef(), "SlateDB engine");

    @Test
    void everyEngineSettingIsAConnectorSettingWithItsDescription() {
        for (SettingDescriptor setting : Settings.schema()) {
            ConfigDef.ConfigKey key = def.configKeys().get("slatedb.settings." + setting.name());
            assertTrue(key != null, setting.name());
            assertTrue(key.documentation.startsWith(setting.description()), key.documentation);
            assertNull(key.defaultValue, "left out means the engine's default");
        }
        assertEquals(Settings.schema().size(), def.configKeys().size());
        assertEquals(List.of("none", "snappy", "zlib", "lz4", "zstd"),
                def.configKeys().get("slatedb.settings.compression_codec").recommender.validValues("", Map.of()));
    }

    @Test
    void valuesApplyOverTheDefaults() {
        Settings settings = EngineSettingsConfig.settings(Map.of(
                "slatedb.settings.l0_sst_size_bytes", "32MiB",
                "slatedb.settings.compression_codec", "lz4",
                "slatedb.store", "file:///ignored"));
        assertEquals(32L << 20, settings.l0SstSizeBytes());
        assertEquals(CompressionCodec.LZ4, settings.compressionCodec());
        assertEquals(Settings.DEFAULT.flushInterval(), settings.flushInterval());
        assertEquals(Settings.DEFAULT, EngineSettingsConfig.settings(Map.of()));
    }

    @Test
    void aValueThatDoesNotParseIsReportedOnItsSetting() {
        Map<String, String> props = Map.of("slatedb.settings.flush_interval", "soon");
        ConfigException e = assertThrows(ConfigException.class, () -> def.parse(props));
        assertTrue(e.getMessage().contains("slatedb.settings.flush_interval"), e.getMessage());
        ConfigValue value = find(new Config(def.validate(props)), "slatedb.settings.flush_interval");
        assertEquals(1, value.errorMessages().size(), value.errorMessages().toString());
    }

    @Test
    void aMisspeltSettingIsReportedByValidation() {
        Map<String, String> props = Map.of("slatedb.settings.flush_intervall", "1s");
        ConfigException e = assertThrows(ConfigException.class, () -> EngineSettingsConfig.settings(props));
        assertTrue(e.getMessage().contains("slatedb.settings.flush_intervall"), e.getMessage());

        Config result = new Config(def.validate(props));
        EngineSettingsConfig.validate(props, result);
        ConfigValue value = find(result, "slatedb.settings.flush_intervall");
        assertEquals(1, value.errorMessages().size());
        assertTrue(value.errorMessages().get(0).contains("unknown"), value.errorMessages().toString());
    }

    @Test
    void contradictingSettingsAreReportedByValidation() {
        Map<String, String> props = new HashMap<>();
        props.put("slatedb.settings.l0_sst_size_bytes", "64MiB");
        props.put("slatedb.settings.max_unflushed_bytes", "1MiB");
        assertThrows(ConfigException.class, () -> EngineSettingsConfig.settings(props));
        Config result = new Config(def.validate(props));
        EngineSettingsConfig.validate(props, result);
        long errors = result.configValues().stream().mapToLong(v -> v.errorMessages().size()).sum();
        assertEquals(1, errors, result.configValues().toString());
    }

    private static ConfigValue find(Config config, String name) {
        return config.configValues().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + name));
    }
}

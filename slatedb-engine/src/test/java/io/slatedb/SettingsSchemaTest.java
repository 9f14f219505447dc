package io.slatedb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Settings#schema()}: the public description every integration derives its options from. */
@Timeout(30)
class SettingsSchemaTest {

    private static SettingDescriptor descriptor(String name) {
        return Settings.schema().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void describesExactlyTheNamesFromMapAccepts() {
        List<String> names = Settings.schema().stream().map(SettingDescriptor::name).toList();
        assertEquals(List.copyOf(SettingsText.NAMES), names);
    }

    @Test
    void defaultsAreWhatToMapWritesForTheDefaults() {
        Map<String, String> defaults = Settings.DEFAULT.toMap();
        Map<String, String> fromSchema = new LinkedHashMap<>();
        for (SettingDescriptor d : Settings.schema()) {
            if (d.type() == SettingType.GROUP) {
                // Every group is enabled by default: its members carry the defaults.
                assertNull(d.defaultValue(), d.name());
                assertFalse(defaults.containsKey(d.name()), d.name());
            } else {
                assertEquals(defaults.get(d.name()), d.defaultValue(), d.name());
                fromSchema.put(d.name(), d.defaultValue());
            }
        }
        assertEquals(defaults, fromSchema);
        assertEquals(Settings.DEFAULT, Settings.fromMap(fromSchema));
    }

    @Test
    void everySettingHasAOneLineDescription() {
        for (SettingDescriptor d : Settings.schema()) {
            assertFalse(d.description().isBlank(), d.name());
            assertFalse(d.description().contains("\n"), d.name());
            assertTrue(d.description().endsWith("."), d.name());
        }
    }

    @Test
    void typesChoicesAndNone() {
        SettingDescriptor flush = descriptor("flush_interval");
        assertEquals(SettingType.DURATION, flush.type());
        assertTrue(flush.acceptsNone());
        assertEquals("100ms", flush.defaultValue());

        SettingDescriptor l0 = descriptor("l0_sst_size_bytes");
        assertEquals(SettingType.BYTES, l0.type());
        assertFalse(l0.acceptsNone());
        assertEquals(Long.toString(64L << 20), l0.defaultValue());

        SettingDescriptor codec = descriptor("compression_codec");
        assertEquals(SettingType.CHOICE, codec.type());
        assertEquals(List.of("none", "snappy", "zlib", "lz4", "zstd"), codec.choices());
        assertEquals("none", codec.defaultValue());

        SettingDescriptor compactor = descriptor("compactor_options");
        assertEquals(SettingType.GROUP, compactor.type());
        assertTrue(compactor.acceptsNone());
        assertEquals(SettingType.DOUBLE, descriptor("compactor_options.scheduler_options.include_size_threshold").type());
        assertEquals(SettingType.BOOLEAN, descriptor("garbage_collector_options.wal_fence_options.dry_run").type());
        assertEquals("true", descriptor("garbage_collector_options.wal_fence_options.dry_run").defaultValue());
        assertEquals(SettingType.INT, descriptor("l0_max_ssts").type());
        assertEquals(SettingType.LONG, descriptor("max_wal_flushes_before_l0_flush").type());
        assertEquals(SettingType.BYTES, descriptor("sst_block_size").type());
    }

    @Test
    void checkAcceptsAValueOfEachTypeAndNamesTheSettingOtherwise() {
        Map<SettingType, String> sample = Map.of(SettingType.DURATION, "5s", SettingType.BYTES, "1MiB",
                SettingType.INT, "3", SettingType.LONG, "5000", SettingType.DOUBLE, "2.5", SettingType.BOOLEAN, "TRUE",
                SettingType.CHOICE, "zstd", SettingType.GROUP, "none");
        for (SettingDescriptor d : Settings.schema()) {
            d.check(sample.get(d.type()));
            if (d.acceptsNone()) {
                d.check("none");
            }
            InvalidSettingException bad = assertThrows(InvalidSettingException.class, () -> d.check("not-a-value"));
            assertTrue(bad.getMessage().contains(d.name()), bad.getMessage());
            assertEquals(ErrorKind.INVALID, bad.kind());
        }
        assertThrows(InvalidSettingException.class, () -> descriptor("l0_max_ssts").check("none"));
    }

    @Test
    void checkLeavesRulesBetweenSettingsToFromMap() {
        // On its own a 2 GiB L0 size parses; with the default max_unflushed_bytes (1 GiB) fromMap refuses it.
        descriptor("l0_sst_size_bytes").check("2GiB");
        assertThrows(InvalidSettingException.class, () -> Settings.fromMap(Map.of("l0_sst_size_bytes", "2GiB")));
        Settings.fromMap(Map.of("l0_sst_size_bytes", "2GiB", "max_unflushed_bytes", "4GiB"));
    }
}

package io.slatedb.connect;

import io.slatedb.store.ObjectStore;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class StoreConfigTest {

    private final ConfigDef def = StoreConfig.define(new ConfigDef(), "Database", 1);

    @Test
    void aDirectoryUrlIsAcceptedWithoutCreatingTheDirectory(@TempDir Path dir) {
        Path store = dir.resolve("store");
        Map<String, String> props = Map.of("slatedb.store", store.toUri().toString());
        assertEquals(store.toUri().toString(), def.parse(props).get("slatedb.store"));
        assertFalse(Files.exists(store), "validation makes no directory");
        try (ObjectStore opened = StoreConfig.open(store.toUri().toString())) {
            assertTrue(opened != null);
        }
    }

    @Test
    void aMissingOrWrongUrlIsExplainedOnTheSetting() {
        Config missing = new Config(def.validate(Map.of()));
        assertEquals(1, missing.configValues().get(0).errorMessages().size());

        ConfigValue wrong = new Config(def.validate(Map.of("slatedb.store", "ftp://host/dir"))).configValues().get(0);
        assertEquals(1, wrong.errorMessages().size());
        assertTrue(wrong.errorMessages().get(0).contains("unknown scheme"), wrong.errorMessages().toString());

        ConfigException e = assertThrows(ConfigException.class, () -> StoreConfig.open("file:relative/dir"));
        assertTrue(e.getMessage().contains("slatedb.store"), e.getMessage());
    }
}

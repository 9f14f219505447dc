package io.slatedb.flink.state;

import io.slatedb.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Managed memory sizes the engine's caches and write buffers; explicit engine settings win. */
@Timeout(60)
class SlateDbMemorySizingTest {

    private static final long MIB = 1L << 20;

    @Test
    void theBudgetIsSplitBetweenCachesAndUnflushedWrites() {
        Settings sized = MemorySizing.sized(Settings.DEFAULT, Map.of(), 1024 * MIB);

        assertThat(sized.blockCacheBytes()).isEqualTo(512 * MIB);
        assertThat(sized.metaCacheBytes()).isEqualTo(128 * MIB);
        assertThat(sized.maxUnflushedBytes()).isEqualTo(384 * MIB);
    }

    @Test
    void unflushedBytesStayAboveTheL0SstSize() {
        long budget = Settings.DEFAULT.l0SstSizeBytes();

        Settings sized = MemorySizing.sized(Settings.DEFAULT, Map.of(), budget);

        assertThat(sized.blockCacheBytes()).isEqualTo(budget / 2);
        assertThat(sized.maxUnflushedBytes()).isEqualTo(Settings.DEFAULT.maxUnflushedBytes());
    }

    @Test
    void explicitEngineSettingsAreKept() {
        Settings explicit = Settings.DEFAULT.withOverrides(Map.of("block_cache_bytes", "8MiB"));

        Settings sized = MemorySizing.sized(explicit, Map.of("block_cache_bytes", "8MiB"), 1024 * MIB);

        assertThat(sized.blockCacheBytes()).isEqualTo(8 * MIB);
        assertThat(sized.metaCacheBytes()).isEqualTo(128 * MIB);
    }

    @Test
    void noBudgetChangesNothing() {
        assertThat(MemorySizing.sized(Settings.DEFAULT, Map.of(), 0)).isEqualTo(Settings.DEFAULT);
    }
}

package io.slatedb;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;

import java.time.Duration;

/** Generators of valid settings, covering every option and the disabled (none) forms. */
final class SettingsArbitraries {
    private SettingsArbitraries() {
    }

    static Arbitrary<Duration> positiveDurations() {
        Arbitrary<Duration> any = Combinators.combine(
                        Arbitraries.longs().between(0, 10_000_000), Arbitraries.longs().between(0, 999_999_999))
                .as(Duration::ofSeconds)
                .filter(d -> !d.isZero());
        Arbitrary<Duration> round = Arbitraries.longs().between(1, 100_000).map(Duration::ofMillis);
        return Arbitraries.oneOf(any, round);
    }

    static Arbitrary<Duration> nonNegativeDurations() {
        return Arbitraries.oneOf(positiveDurations(), Arbitraries.just(Duration.ZERO));
    }

    static Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 1L << 45),
                Arbitraries.integers().between(0, 40).map(shift -> 1L << shift));
    }

    static Arbitrary<CompactorOptions> compactorOptions() {
        Arbitrary<int[]> sources = Combinators.combine(Arbitraries.integers().between(1, 64),
                Arbitraries.integers().between(0, 64)).as((min, extra) -> new int[] {min, min + extra});
        Arbitrary<Double> thresholds = Arbitraries.oneOf(Arbitraries.doubles().between(0.001, 1000.0).ofScale(6),
                Arbitraries.of(4.0, 1.0, 0.1, Double.MIN_VALUE, Double.MAX_VALUE));
        return Builders.withBuilder(CompactorOptions::builder)
                .use(positiveDurations()).in(CompactorOptions.Builder::pollInterval)
                .use(positiveDurations()).in(CompactorOptions.Builder::manifestUpdateTimeout)
                .use(Arbitraries.integers().between(1, 1000)).in(CompactorOptions.Builder::maxConcurrentCompactions)
                .use(sizes()).in(CompactorOptions.Builder::maxSstSize)
                .use(sources).in((b, s) -> b.minCompactionSources(s[0]).maxCompactionSources(s[1]))
                .use(thresholds).in(CompactorOptions.Builder::includeSizeThreshold)
                .build(CompactorOptions.Builder::build);
    }

    static Arbitrary<GarbageCollectorDirectoryOptions> directoryOptions() {
        return Combinators.combine(positiveDurations(), nonNegativeDurations(), Arbitraries.of(true, false))
                .as(GarbageCollectorDirectoryOptions::new);
    }

    static Arbitrary<GarbageCollectorOptions> gcOptions() {
        return Builders.withBuilder(GarbageCollectorOptions::builder)
                .use(directoryOptions().injectNull(0.2)).in(GarbageCollectorOptions.Builder::manifestOptions)
                .use(directoryOptions().injectNull(0.2)).in(GarbageCollectorOptions.Builder::walOptions)
                .use(directoryOptions().injectNull(0.2)).in(GarbageCollectorOptions.Builder::walFenceOptions)
                .use(directoryOptions().injectNull(0.2)).in(GarbageCollectorOptions.Builder::compactedOptions)
                .use(directoryOptions().injectNull(0.2)).in(GarbageCollectorOptions.Builder::compactionsOptions)
                .use(positiveDurations().map(GarbageCollectorScheduleOptions::new).injectNull(0.2))
                .in(GarbageCollectorOptions.Builder::detachOptions)
                .use(Arbitraries.of(true, false)).in(GarbageCollectorOptions.Builder::boundaryFilesEnabled)
                .build(GarbageCollectorOptions.Builder::build);
    }

    static Arbitrary<Settings> settings() {
        Arbitrary<long[]> memory = Combinators.combine(sizes(), Arbitraries.longs().between(1, 1L << 40))
                .as((l0, extra) -> new long[] {l0, l0 + extra});
        return Builders.withBuilder(Settings::builder)
                .use(positiveDurations().injectNull(0.2)).in(Settings.Builder::flushInterval)
                .use(positiveDurations()).in(Settings.Builder::manifestPollInterval)
                .use(positiveDurations()).in(Settings.Builder::manifestUpdateTimeout)
                .use(Arbitraries.integers().between(0, Integer.MAX_VALUE)).in(Settings.Builder::minFilterKeys)
                .use(memory).in((b, m) -> b.l0SstSizeBytes(m[0]).maxUnflushedBytes(m[1]))
                .use(Arbitraries.longs().between(4096, Long.MAX_VALUE)).in(Settings.Builder::maxWalFlushesBeforeL0Flush)
                .use(Arbitraries.integers().between(1, Integer.MAX_VALUE)).in(Settings.Builder::l0MaxSsts)
                .use(Arbitraries.integers().between(1, Integer.MAX_VALUE)).in(Settings.Builder::l0MaxSstsPerKey)
                .use(Arbitraries.integers().between(1, 64)).in(Settings.Builder::l0FlushParallelism)
                .use(Arbitraries.of(CompressionCodec.class)).in(Settings.Builder::compressionCodec)
                .use(Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.3)).in(Settings.Builder::defaultTtlMillis)
                .use(Arbitraries.integers().between(0, 100).injectNull(0.3)).in(Settings.Builder::objectStoreMaxRetries)
                .use(compactorOptions().injectNull(0.2)).in(Settings.Builder::compactorOptions)
                .use(gcOptions().injectNull(0.2)).in(Settings.Builder::garbageCollectorOptions)
                .use(Arbitraries.of(1024, 2048, 4096, 8192, 16384, 32768, 65536)).in(Settings.Builder::sstBlockSize)
                .use(Arbitraries.integers().between(1, 64)).in(Settings.Builder::filterBitsPerKey)
                .use(Arbitraries.longs().between(0, 1L << 40)).in(Settings.Builder::blockCacheBytes)
                .use(Arbitraries.longs().between(0, 1L << 40)).in(Settings.Builder::metaCacheBytes)
                .build(Settings.Builder::build);
    }
}

package io.slatedb.gc;

import io.slatedb.format.Ulid;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

@Timeout(30)
class CompactionsWatermarkTest {

    @Test
    void theOldestCompactionIsTheWatermark() {
        byte[] file = GcFixture.compactionsFile(Ulid.of(5_000, 1, 2), Ulid.of(3_000, 0xFFFF, -1), Ulid.of(9_000, 0, 0));
        assertEquals(3_000, CompactionsWatermark.of(file));
    }

    @Test
    void noFileNoCompactionsOrAnUnreadableFileMeanTheEpoch() {
        assertEquals(CompactionsWatermark.NONE, CompactionsWatermark.of(null));
        assertEquals(CompactionsWatermark.NONE, CompactionsWatermark.of(GcFixture.compactionsFile()));
        assertEquals(CompactionsWatermark.NONE, CompactionsWatermark.of(new byte[]{0, 2}));
        assertEquals(CompactionsWatermark.NONE, CompactionsWatermark.of(new byte[]{0, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
        byte[] wrongVersion = GcFixture.compactionsFile(Ulid.of(5_000, 1, 2));
        wrongVersion[1] = 3;
        assertEquals(CompactionsWatermark.NONE, CompactionsWatermark.of(wrongVersion));
    }

    @Property(tries = 200)
    void anyTruncationOrCorruptionGivesTheTrueWatermarkOrTheEpoch(
            @ForAll @Size(min = 1, max = 8) List<@LongRange(min = 0, max = Ulid.MAX_TIMESTAMP_MILLIS) Long> times,
            @ForAll @LongRange(min = 0, max = 10_000) long cut, @ForAll byte flip) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> check(times, cut, flip));
    }

    private static void check(List<Long> times, long cut, byte flip) {
        Ulid[] ids = times.stream().map(t -> Ulid.of(t, 7, 7)).toArray(Ulid[]::new);
        byte[] file = GcFixture.compactionsFile(ids);
        long oldest = times.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertEquals(oldest, CompactionsWatermark.of(file));
        byte[] truncated = Arrays.copyOf(file, (int) Math.min(file.length, cut % (file.length + 1)));
        long fromTruncated = CompactionsWatermark.of(truncated);
        // A truncated file is unreadable (the epoch), never read as some other watermark.
        assertEquals(true, fromTruncated == CompactionsWatermark.NONE || fromTruncated == oldest
                || truncated.length == file.length);
        byte[] corrupted = file.clone();
        corrupted[(int) (cut % file.length)] ^= flip;
        CompactionsWatermark.of(corrupted); // never throws
    }
}

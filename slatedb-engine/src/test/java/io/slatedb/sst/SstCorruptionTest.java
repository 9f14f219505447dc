package io.slatedb.sst;

import io.slatedb.CorruptObjectException;
import io.slatedb.ErrorKind;
import io.slatedb.CompressionCodec;
import io.slatedb.util.Futures;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Damaged SSTs (cut short, or with a bit flipped anywhere) must fail with {@link CorruptObjectException}
 * and never produce a wrong row: every byte of an SST is covered by a checksum, or by the footer checks.
 */
class SstCorruptionTest {

    /** A compacted SST with several blocks, a filter and stats, and its rows. */
    static EncodedSst sample(CompressionCodec codec, List<RowEntry> into) {
        SstBuilder builder = SstBuilder.compacted(SstWriterOptions.DEFAULTS.withBlockSize(160).withMinFilterKeys(4)
                .withCompression(codec));
        for (int i = 0; i < 24; i++) {
            byte[] key = ("key-" + (i / 3)).getBytes(StandardCharsets.US_ASCII);
            RowEntry row = switch (i % 3) {
                case 0 -> RowEntry.value(key, ("value " + i).getBytes(StandardCharsets.US_ASCII), 100 - i);
                case 1 -> RowEntry.tombstone(key, 100 - i).withCreateTs(i);
                default -> RowEntry.mergeOperand(key, new byte[] {(byte) i}, 100 - i).withExpireTs(i);
            };
            builder.add(row);
            into.add(row);
        }
        return builder.build();
    }

    /** Opens, reads and verifies {@code bytes}; rows that come back must be exactly {@code rows}. */
    static void readEverything(byte[] bytes, List<RowEntry> rows) {
        SstOpenResult opened = SstReader.fromBytes("damaged.sst", bytes);
        if (opened instanceof SstOpenResult.Empty) {
            throw new CorruptObjectException("damaged.sst", "empty");
        }
        SstReader reader = ((SstOpenResult.Opened) opened).reader();
        // Plain reads may miss the damage (it may sit in the stats block); what they return must be right.
        try {
            assertEquals(rows, Futures.join(reader.iterator().collectRemaining()));
            for (RowEntry row : rows) {
                RowEntry newest = Futures.join(reader.get(row.key()));
                assertEquals(new SstModel(rows).get(row.key(), SstReader.MAX_SEQ), newest);
            }
        } catch (CorruptObjectException detected) {
            // fine: the damage was found
        }
        Futures.join(reader.verify());
    }

    static void assertCorrupt(byte[] damaged, List<RowEntry> rows, String what) {
        try {
            readEverything(damaged, rows);
            fail(what + " went unnoticed");
        } catch (CorruptObjectException e) {
            assertEquals(ErrorKind.DATA, e.kind());
            assertEquals("damaged.sst", e.objectPath());
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError(what + " failed with " + e, e);
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    @Timeout(60)
    void everyTruncationIsCorruptOrEmpty(CompressionCodec codec) {
        List<RowEntry> rows = new ArrayList<>();
        byte[] bytes = sample(codec, rows).bytes();
        readEverything(bytes, rows);
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            if (length <= 10) {
                assertInstanceOf(SstOpenResult.Empty.class, SstReader.fromBytes("damaged.sst", cut));
            } else {
                assertCorrupt(cut, rows, "truncation to " + length + " bytes");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    @Timeout(120)
    void everySingleBitFlipIsCorrupt(CompressionCodec codec) {
        List<RowEntry> rows = new ArrayList<>();
        byte[] bytes = sample(codec, rows).bytes();
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertCorrupt(flipped, rows, "flip of bit " + bit);
        }
    }

    @Provide
    Arbitrary<List<RowEntry>> rows() {
        return RowArbitraries.compactedRows(60);
    }

    @Property(tries = 60)
    void randomDamageToRandomSstsIsCorrupt(@ForAll("rows") List<RowEntry> rows,
                                           @ForAll CompressionCodec codec,
                                           @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position,
                                           @ForAll @IntRange(min = 1, max = 255) int mask) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            SstBuilder builder = SstBuilder.compacted(SstWriterOptions.DEFAULTS.withBlockSize(256).withMinFilterKeys(3)
                    .withCompression(codec));
            rows.forEach(builder::add);
            byte[] bytes = builder.build().bytes();
            byte[] damaged = bytes.clone();
            damaged[position % bytes.length] ^= (byte) mask;
            assertCorrupt(damaged, rows, "xor " + mask + " at " + (position % bytes.length));
        });
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    @Timeout(30)
    void aFooterVersionOtherThanOneOrTwoIsCorrupt(CompressionCodec codec) {
        List<RowEntry> rows = new ArrayList<>();
        byte[] bytes = sample(codec, rows).bytes();
        for (int version : new int[] {0, 3, 0xffff}) {
            byte[] changed = bytes.clone();
            changed[changed.length - 2] = (byte) (version >>> 8);
            changed[changed.length - 1] = (byte) version;
            CorruptObjectException e = assertThrows(CorruptObjectException.class,
                    () -> SstReader.fromBytes("damaged.sst", changed));
            assertEquals("corrupt object damaged.sst: unsupported SST format version " + version + " (supported: 1, 2)",
                    e.getMessage());
        }
    }
}

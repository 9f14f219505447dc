package io.slatedb.format;

import io.slatedb.CompressionCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class CompressionTest {

    @Provide
    Arbitrary<byte[]> payloads() {
        // Mix incompressible random bytes with runs so every codec takes its interesting paths.
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(20_000);
        Arbitrary<byte[]> repetitive = Arbitraries.integers().between(0, 50_000).map(n -> {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) ((i / 97) % 7);
            }
            return b;
        });
        return Arbitraries.oneOf(random, repetitive);
    }

    @Property(tries = 60)
    void everyCodecRoundTrips(@ForAll("payloads") byte[] payload, @ForAll CompressionCodec codec) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            byte[] compressed = Compression.compress(codec, payload);
            byte[] framed = new byte[compressed.length + 7];
            System.arraycopy(compressed, 0, framed, 3, compressed.length);
            assertArrayEquals(payload, Compression.decompress(codec, framed, 3, compressed.length));
        });
    }

    @Property(tries = 40)
    void truncatedOrDamagedInputFailsAsAFormatErrorOrDecodesToSomething(@ForAll("payloads") byte[] payload,
                                                                         @ForAll CompressionCodec codec) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            byte[] compressed = Compression.compress(codec, payload);
            if (codec == CompressionCodec.NONE || compressed.length == 0) {
                return;
            }
            // A cut anywhere must never escape as anything but FormatException.
            for (int cut : new int[] {0, 1, compressed.length / 2, compressed.length - 1}) {
                try {
                    Compression.decompress(codec, compressed, 0, cut);
                } catch (FormatException expected) {
                    // the one allowed failure
                }
            }
        });
    }

    @Test
    @Timeout(10)
    void noneReturnsTheInputOnCompressAndACopyOnDecompress() {
        byte[] data = {1, 2, 3};
        assertSame(data, Compression.compress(CompressionCodec.NONE, data));
        byte[] copy = Compression.decompress(CompressionCodec.NONE, data, 0, 3);
        assertNotSame(data, copy);
        assertArrayEquals(data, copy);
    }

    @Test
    @Timeout(10)
    void lz4PrefixesTheUncompressedLengthLittleEndian() {
        byte[] data = new byte[0x1234];
        byte[] compressed = Compression.compress(CompressionCodec.LZ4, data);
        assertEquals(0x34, compressed[0] & 0xff);
        assertEquals(0x12, compressed[1] & 0xff);
        assertEquals(0, compressed[2]);
        assertEquals(0, compressed[3]);
    }

    @Test
    @Timeout(10)
    void zlibIsAZlibStreamReadableByTheJdk() throws Exception {
        byte[] data = "hello hello hello hello".getBytes(StandardCharsets.UTF_8);
        byte[] compressed = Compression.compress(CompressionCodec.ZLIB, data);
        assertEquals(0x78, compressed[0] & 0xff, "zlib header");
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(jdk)) {
            out.write(data);
        }
        byte[] fromJdk = jdk.toByteArray();
        assertArrayEquals(data, Compression.decompress(CompressionCodec.ZLIB, fromJdk, 0, fromJdk.length));
    }

    @Test
    @Timeout(10)
    void zstdWritesOneFrameWithItsContentSize() {
        byte[] data = new byte[1000];
        byte[] compressed = Compression.compress(CompressionCodec.ZSTD, data);
        assertEquals(0xfd2fb528L, BigEndianLittle.u32(compressed, 0), "zstd magic");
        assertEquals(1000, com.github.luben.zstd.Zstd.getFrameContentSize(compressed));
    }

    @Test
    @Timeout(10)
    void zstdWithoutAContentSizeStillDecompresses() throws Exception {
        byte[] data = "streamed without a declared size ".repeat(50).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (com.github.luben.zstd.ZstdOutputStream out = new com.github.luben.zstd.ZstdOutputStream(buffer, 3)) {
            out.write(data);
        }
        byte[] streamed = buffer.toByteArray();
        assertArrayEquals(data, Compression.decompress(CompressionCodec.ZSTD, streamed, 0, streamed.length));
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodec.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    @Timeout(10)
    void garbageFailsAsAFormatError(CompressionCodec codec) {
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xff);
        assertThrows(FormatException.class, () -> Compression.decompress(codec, garbage, 0, garbage.length));
    }

    @Test
    @Timeout(10)
    void lz4RejectsALengthNoBlockCouldExpandTo() {
        byte[] claim = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0x00};
        FormatException e = assertThrows(FormatException.class,
                () -> Compression.decompress(CompressionCodec.LZ4, claim, 0, claim.length));
        assertEquals("lz4 data declares an impossible length 2147483647", e.getMessage());
    }

    @Test
    @Timeout(10)
    void zlibRejectsTrailingBytes() {
        byte[] compressed = Compression.compress(CompressionCodec.ZLIB, new byte[100]);
        byte[] padded = Arrays.copyOf(compressed, compressed.length + 3);
        assertThrows(FormatException.class, () -> Compression.decompress(CompressionCodec.ZLIB, padded, 0, padded.length));
    }

    /** Reads a little-endian u32, the byte order of the zstd magic number. */
    private static final class BigEndianLittle {
        static long u32(byte[] b, int at) {
            return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
        }
    }
}

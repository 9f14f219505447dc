package io.slatedb.format;

import io.slatedb.CompressionCodec;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Block compression with the five codecs of {@link CompressionCodec}, producing and accepting exactly
 * the byte layouts the Rust SlateDB uses: raw (unframed) Snappy; a zlib stream at the default level;
 * an LZ4 block preceded by its uncompressed length as a 4-byte little-endian integer
 * ({@code lz4_flex::compress_prepend_size}); a single Zstandard frame at level 3.
 *
 * <p>Decompression failures of any kind are reported as {@link FormatException}. The compressed bytes
 * are checksummed before they get here, so such a failure means the writer was broken or the input
 * was crafted.
 */
public final class Compression {
    /** Zstandard level SlateDB writes with. */
    public static final int ZSTD_LEVEL = 3;

    /** The largest array the JVM can allocate safely; nothing larger can be decompressed. */
    private static final int MAX_DECOMPRESSED = Integer.MAX_VALUE - 16;

    private static final LZ4Compressor LZ4_COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4SafeDecompressor LZ4_DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();

    private Compression() {
    }

    /** Compresses {@code data} with {@code codec}; {@link CompressionCodec#NONE} returns the input itself. */
    public static byte[] compress(CompressionCodec codec, byte[] data) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(data, "data");
        return switch (codec) {
            case NONE -> data;
            case SNAPPY -> snappyCompress(data);
            case ZLIB -> zlibCompress(data);
            case LZ4 -> lz4Compress(data);
            case ZSTD -> Zstd.compress(data, ZSTD_LEVEL);
        };
    }

    /**
     * Decompresses {@code data[offset, offset + length)} with {@code codec}. The result is always a new
     * array (also for {@link CompressionCodec#NONE}).
     *
     * @throws FormatException when the bytes are not valid output of the codec
     */
    public static byte[] decompress(CompressionCodec codec, byte[] data, int offset, int length) {
        Objects.requireNonNull(codec, "codec");
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("bad slice " + offset + "+" + length + " of " + data.length + " bytes");
        }
        return switch (codec) {
            case NONE -> Arrays.copyOfRange(data, offset, offset + length);
            case SNAPPY -> snappyDecompress(data, offset, length);
            case ZLIB -> zlibDecompress(data, offset, length);
            case LZ4 -> lz4Decompress(data, offset, length);
            case ZSTD -> zstdDecompress(data, offset, length);
        };
    }

    private static byte[] snappyCompress(byte[] data) {
        try {
            return Snappy.compress(data);
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression failed", e);
        }
    }

    private static byte[] snappyDecompress(byte[] data, int offset, int length) {
        try {
            if (!Snappy.isValidCompressedBuffer(data, offset, length)) {
                throw new FormatException("invalid snappy data");
            }
            int size = Snappy.uncompressedLength(data, offset, length);
            if (size < 0 || size > MAX_DECOMPRESSED) {
                throw new FormatException("snappy data declares an impossible length " + size);
            }
            byte[] out = new byte[size];
            int written = Snappy.uncompress(data, offset, length, out, 0);
            if (written != size) {
                throw new FormatException("snappy data decompressed to " + written + " bytes, declared " + size);
            }
            return out;
        } catch (IOException e) {
            throw new FormatException("invalid snappy data: " + e.getMessage(), e);
        }
    }

    private static byte[] zlibCompress(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, false);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] zlibDecompress(byte[] data, int offset, int length) {
        Inflater inflater = new Inflater(false);
        try {
            inflater.setInput(data, offset, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length * 3));
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if ((long) out.size() + n > MAX_DECOMPRESSED) {
                    throw new FormatException("zlib data inflates beyond " + MAX_DECOMPRESSED + " bytes");
                }
                out.write(chunk, 0, n);
                // No progress and the stream wants more than there is: it was cut short.
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new FormatException("truncated zlib data");
                }
            }
            if (inflater.getRemaining() > 0) {
                throw new FormatException(inflater.getRemaining() + " bytes after the end of the zlib stream");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new FormatException("invalid zlib data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static byte[] lz4Compress(byte[] data) {
        int bound = LZ4_COMPRESSOR.maxCompressedLength(data.length);
        byte[] out = new byte[4 + bound];
        // lz4_flex's size prefix is little-endian, unlike the rest of the format.
        out[0] = (byte) data.length;
        out[1] = (byte) (data.length >>> 8);
        out[2] = (byte) (data.length >>> 16);
        out[3] = (byte) (data.length >>> 24);
        int written = LZ4_COMPRESSOR.compress(data, 0, data.length, out, 4, bound);
        return Arrays.copyOf(out, 4 + written);
    }

    private static byte[] lz4Decompress(byte[] data, int offset, int length) {
        if (length < 4) {
            throw new FormatException("lz4 data shorter than its 4-byte size prefix");
        }
        long size = (data[offset] & 0xffL) | (data[offset + 1] & 0xffL) << 8 | (data[offset + 2] & 0xffL) << 16
                | (data[offset + 3] & 0xffL) << 24;
        // An LZ4 block expands at most about 255-fold; a larger claim cannot be honest.
        if (size > MAX_DECOMPRESSED || size > 255L * (length - 4) + 16) {
            throw new FormatException("lz4 data declares an impossible length " + size);
        }
        byte[] out = new byte[(int) size];
        try {
            int written = LZ4_DECOMPRESSOR.decompress(data, offset + 4, length - 4, out, 0, out.length);
            if (written != size) {
                throw new FormatException("lz4 data decompressed to " + written + " bytes, declared " + size);
            }
            return out;
        } catch (LZ4Exception | ArrayIndexOutOfBoundsException e) {
            throw new FormatException("invalid lz4 data: " + e.getMessage(), e);
        }
    }

    private static byte[] zstdDecompress(byte[] data, int offset, int length) {
        try {
            long frameSize = Zstd.findFrameCompressedSize(data, offset, length);
            long contentSize = Zstd.getFrameContentSize(data, offset, length);
            // Fast path: one frame covering the input and declaring its content size (what SlateDB writes).
            if (!Zstd.isError(frameSize) && frameSize == length && contentSize >= 0 && contentSize <= MAX_DECOMPRESSED) {
                byte[] out = new byte[(int) contentSize];
                long written = Zstd.decompressByteArray(out, 0, out.length, data, offset, length);
                if (Zstd.isError(written)) {
                    throw new FormatException("invalid zstd data: " + Zstd.getErrorName(written));
                }
                if (written != contentSize) {
                    throw new FormatException("zstd data decompressed to " + written + " bytes, declared " + contentSize);
                }
                return out;
            }
        } catch (ZstdException e) {
            throw new FormatException("invalid zstd data: " + e.getMessage(), e);
        }
        return zstdDecompressStreaming(data, offset, length);
    }

    private static byte[] zstdDecompressStreaming(byte[] data, int offset, int length) {
        try (InputStream in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(data, offset, length))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length * 3));
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if ((long) out.size() + n > MAX_DECOMPRESSED) {
                    throw new FormatException("zstd data decompresses beyond " + MAX_DECOMPRESSED + " bytes");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            if (e instanceof FormatException fe) {
                throw fe;
            }
            throw new FormatException("invalid zstd data: " + e.getMessage(), e);
        }
    }
}

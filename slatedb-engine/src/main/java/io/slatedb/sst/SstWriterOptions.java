package io.slatedb.sst;

import io.slatedb.CompressionCodec;

import java.util.Objects;

/**
 * How {@link SstBuilder} writes SSTs. The defaults are SlateDB's, and produce SSTs that SlateDB 0.12
 * and later read: 4 KiB blocks, no compression, a bloom filter of 10 bits per key for compacted SSTs
 * with at least 1000 rows, stored in the legacy (raw) filter layout.
 *
 * @param blockSize          target size of an uncompressed data block, in [1, 65536] bytes
 *                           (SlateDB offers 1, 2, 4, 8, 16, 32 and 64 KiB)
 * @param compression        the codec for every block of the SST
 * @param minFilterKeys      compacted SSTs with fewer rows get no filter
 * @param filterBitsPerKey   bloom filter bits per row
 * @param filterFormat       layout of the filter block; {@link FilterFormat#COMPOSITE} is only read by
 *                           SlateDB versions that know the {@code filter_format} field
 */
public record SstWriterOptions(int blockSize, CompressionCodec compression, int minFilterKeys, int filterBitsPerKey,
                               FilterFormat filterFormat) {

    /** SlateDB's defaults. */
    public static final SstWriterOptions DEFAULTS =
            new SstWriterOptions(4096, CompressionCodec.NONE, 1000, 10, FilterFormat.LEGACY);

    public SstWriterOptions {
        if (blockSize < 1 || blockSize > 65536) {
            throw new IllegalArgumentException("block size must be in [1, 65536]: " + blockSize);
        }
        Objects.requireNonNull(compression, "compression");
        if (minFilterKeys < 0) {
            throw new IllegalArgumentException("min filter keys must not be negative: " + minFilterKeys);
        }
        if (filterBitsPerKey < 1) {
            throw new IllegalArgumentException("filter bits per key must be at least 1: " + filterBitsPerKey);
        }
        Objects.requireNonNull(filterFormat, "filterFormat");
    }

    public SstWriterOptions withBlockSize(int size) {
        return new SstWriterOptions(size, compression, minFilterKeys, filterBitsPerKey, filterFormat);
    }

    public SstWriterOptions withCompression(CompressionCodec codec) {
        return new SstWriterOptions(blockSize, codec, minFilterKeys, filterBitsPerKey, filterFormat);
    }

    public SstWriterOptions withMinFilterKeys(int keys) {
        return new SstWriterOptions(blockSize, compression, keys, filterBitsPerKey, filterFormat);
    }

    public SstWriterOptions withFilterBitsPerKey(int bits) {
        return new SstWriterOptions(blockSize, compression, minFilterKeys, bits, filterFormat);
    }

    public SstWriterOptions withFilterFormat(FilterFormat format) {
        return new SstWriterOptions(blockSize, compression, minFilterKeys, filterBitsPerKey, format);
    }
}

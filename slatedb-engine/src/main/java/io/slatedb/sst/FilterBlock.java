package io.slatedb.sst;

import io.slatedb.format.ByteCursor;
import io.slatedb.format.ByteSink;
import io.slatedb.format.FormatException;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * The payload of an SST's filter block in its two layouts. {@link FilterFormat#LEGACY}: one encoded
 * bloom filter (what SlateDB 0.12 writes and reads). {@link FilterFormat#COMPOSITE}: {@code u16 count},
 * then per filter {@code u16 name_len | name (UTF-8) | u64 data_len | data}; readers use the filters
 * whose policy they know and skip the others.
 */
public final class FilterBlock {
    /** The policy name of the built-in whole-key bloom filter in composite filter blocks. */
    public static final String BLOOM_POLICY = "_bf";

    /**
     * Policy names of whole-key bloom filters this reader trusts for point lookups. Names carrying
     * options (a prefix extractor, whole-key hashing off) are deliberately absent: such filters may
     * not hold the hash of every whole key.
     */
    private static final Set<String> WHOLE_KEY_BLOOM_POLICIES = Set.of(BLOOM_POLICY, "slatedb.BloomFilter");

    private FilterBlock() {
    }

    /** The filter block payload holding {@code filter} in layout {@code format}. */
    public static byte[] encode(FilterFormat format, BloomFilter filter) {
        byte[] bloom = filter.encode();
        if (format == FilterFormat.LEGACY) {
            return bloom;
        }
        byte[] name = BLOOM_POLICY.getBytes(StandardCharsets.UTF_8);
        return new ByteSink(bloom.length + 16).writeU16(1).writeU16(name.length).write(name)
                .writeU64(bloom.length).write(bloom).toByteArray();
    }

    /**
     * The whole-key bloom filter in a filter block payload, or empty when a composite block holds none
     * this reader knows (every key then has to be looked up).
     *
     * @throws FormatException when the payload is malformed
     */
    public static Optional<BloomFilter> decode(FilterFormat format, byte[] payload) {
        if (format == FilterFormat.LEGACY) {
            return Optional.of(BloomFilter.decode(payload));
        }
        ByteCursor in = new ByteCursor(payload);
        int count = in.readU16("filter count");
        BloomFilter found = null;
        for (int i = 0; i < count; i++) {
            int nameLength = in.readU16("filter name length");
            String name = new String(in.readBytes(nameLength, "filter name"), StandardCharsets.UTF_8);
            long dataLength = in.readU64("filter data length");
            if (dataLength < 0 || dataLength > in.remaining()) {
                throw new FormatException("filter '" + name + "' declares " + Long.toUnsignedString(dataLength)
                        + " bytes, " + in.remaining() + " left");
            }
            if (found == null && WHOLE_KEY_BLOOM_POLICIES.contains(name)) {
                found = BloomFilter.decode(in.readBytes(dataLength, "filter data"));
            } else {
                in.skip(dataLength, "filter data");
            }
        }
        if (!in.exhausted()) {
            throw new FormatException(in.remaining() + " bytes after the last filter");
        }
        return Optional.ofNullable(found);
    }
}

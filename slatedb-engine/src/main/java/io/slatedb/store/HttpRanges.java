package io.slatedb.store;

/** HTTP {@code Range} and {@code Content-Range} headers for {@link ByteRange}s. */
final class HttpRanges {

    private HttpRanges() {
    }

    /** The part of {@code Content-Range: bytes <first>-<last>/<size>} that a read needs. */
    record ContentRange(long first, long last, long size) {
    }

    /**
     * The {@code Range} header value for a range of positive length: {@code bytes=-n} for a suffix,
     * {@code bytes=a-} for a range to the end, {@code bytes=a-b} (inclusive) otherwise.
     */
    static String header(ByteRange range) {
        if (range.length() <= 0) {
            throw new IllegalArgumentException("HTTP cannot express an empty range: " + range);
        }
        if (range.isSuffix()) {
            return "bytes=-" + range.length();
        }
        long offset = range.offset();
        // offset + length - 1 would overflow for ranges meaning "to the end" (ByteRange.from).
        if (range.length() > Long.MAX_VALUE - offset) {
            return "bytes=" + offset + "-";
        }
        return "bytes=" + offset + "-" + (offset + range.length() - 1);
    }

    /**
     * Parses a {@code Content-Range} response header, or returns null when there is none (the server
     * sent the whole object).
     *
     * @throws IllegalArgumentException if the header is present but malformed or has an unknown size
     */
    static ContentRange parseContentRange(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (!value.startsWith("bytes ")) {
            throw new IllegalArgumentException("unsupported Content-Range: " + header);
        }
        int dash = value.indexOf('-', 6);
        int slash = value.indexOf('/', 6);
        if (dash < 0 || slash < dash) {
            throw new IllegalArgumentException("malformed Content-Range: " + header);
        }
        try {
            long first = Long.parseLong(value.substring(6, dash).trim());
            long last = Long.parseLong(value.substring(dash + 1, slash).trim());
            long size = Long.parseLong(value.substring(slash + 1).trim());
            if (first < 0 || last < first || size <= last) {
                throw new IllegalArgumentException("inconsistent Content-Range: " + header);
            }
            return new ContentRange(first, last, size);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed Content-Range: " + header, e);
        }
    }
}

package io.slatedb.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The {@code Range} and {@code Content-Range} headers of ranged reads. */
class HttpRangesTest {

    @Test
    void rangeHeaders() {
        assertEquals("bytes=2-5", HttpRanges.header(ByteRange.of(2, 4)));
        assertEquals("bytes=0-0", HttpRanges.header(ByteRange.of(0, 1)));
        assertEquals("bytes=7-", HttpRanges.header(ByteRange.from(7)));
        assertEquals("bytes=-3", HttpRanges.header(ByteRange.suffix(3)));
        assertEquals("bytes=5-", HttpRanges.header(ByteRange.of(5, Long.MAX_VALUE - 2)), "would overflow");
        assertEquals("bytes=1-" + (Long.MAX_VALUE - 1), HttpRanges.header(ByteRange.of(1, Long.MAX_VALUE - 1)));
        assertThrows(IllegalArgumentException.class, () -> HttpRanges.header(ByteRange.of(3, 0)));
        assertThrows(IllegalArgumentException.class, () -> HttpRanges.header(ByteRange.suffix(0)));
    }

    @Test
    void contentRanges() {
        assertEquals(new HttpRanges.ContentRange(2, 5, 20), HttpRanges.parseContentRange("bytes 2-5/20"));
        assertNull(HttpRanges.parseContentRange(null));
        assertNull(HttpRanges.parseContentRange(""));
        for (String bad : new String[]{"bytes */20", "bytes 2-5/*", "items 2-5/20", "bytes 5-2/20", "bytes 2-20/20",
                "bytes x-5/20"}) {
            assertThrows(IllegalArgumentException.class, () -> HttpRanges.parseContentRange(bad), bad);
        }
    }
}

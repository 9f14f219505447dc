package io.slatedb.store;

import java.util.List;

/**
 * One page of a listing, in ascending path order. When {@code truncated}, more objects follow: ask again
 * with {@code startAfter} set to the last path of this page.
 */
public record ListPage(List<ObjectMetadata> objects, boolean truncated) {
    public ListPage {
        objects = List.copyOf(objects);
    }
}

package io.slatedb.reader;

import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.manifest.CompactedSst;
import io.slatedb.manifest.KeyRange;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.EncodedSst;
import io.slatedb.sst.RowEntry;
import io.slatedb.sst.SstBuilder;
import io.slatedb.sst.SstWriterOptions;
import io.slatedb.store.ObjectStore;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Writes compacted SSTs into a store for tests, with fresh ids. */
final class Ssts {
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private Ssts() {
    }

    static Ulid freshId() {
        return Ulid.of(1_700_000_000_000L, 0, NEXT_ID.getAndIncrement());
    }

    /**
     * Writes {@code rows} (in compacted order) as an SST under {@code root} and returns its view,
     * restricted to {@code visible} (null for all of it).
     */
    static SstView write(ObjectStore store, String root, List<RowEntry> rows, SstWriterOptions options, KeyRange visible) {
        SstBuilder builder = SstBuilder.compacted(options);
        rows.forEach(builder::add);
        EncodedSst encoded = builder.build();
        Ulid id = freshId();
        store.put(DbLayout.of(root).compactedSstPath(id), encoded.bytes()).join();
        CompactedSst sst = new CompactedSst(id, encoded.info(), encoded.formatVersion());
        return new SstView(visible == null ? id : freshId(), sst, visible);
    }
}

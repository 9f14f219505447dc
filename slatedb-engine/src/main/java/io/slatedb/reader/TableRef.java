package io.slatedb.reader;

import io.slatedb.iter.RunTable;
import io.slatedb.manifest.KeyBound;
import io.slatedb.manifest.SstView;
import io.slatedb.sst.KeyRange;

import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * An SST view of a read view, resolved once when the view is made: its object path and the keys it
 * can show (its effective range: the SST's first to last key, clipped to the view's visible range).
 */
final class TableRef implements RunTable {
    private static final byte[] EMPTY_KEY = new byte[0];

    private final SstView view;
    private final String path;
    private final KeyRange effectiveRange;
    private final byte[] startKey;
    private final String listedBy;
    // The last opened SST (SstHandle) found to match this record, null before any: gets use it without
    // a metadata cache lookup, and point gets skip opening the SST only to check it. Weakly held, so
    // that a record does not keep an SST the metadata cache evicted in memory. A race only means both
    // gets compare.
    private volatile WeakReference<SstHandle> matched;

    /** @param listedBy the path of the manifest listing the view, or null when unknown */
    TableRef(SstView view, String path, String listedBy) {
        this.view = view;
        this.path = path;
        this.listedBy = listedBy;
        byte[] first = view.sst().info().firstEntry();
        byte[] last = view.sst().info().lastEntry();
        KeyRange physical = new KeyRange(first, true, last, true);
        this.effectiveRange = view.visibleRange() == null ? physical : physical.intersect(toKeyRange(view.visibleRange()));
        this.startKey = effectiveRange.start() == null ? EMPTY_KEY : effectiveRange.start();
    }

    /** A manifest key range as a key range of the read path. */
    static KeyRange toKeyRange(io.slatedb.manifest.KeyRange range) {
        KeyBound start = range.start();
        KeyBound end = range.end();
        return new KeyRange(start.key(), start.kind() == KeyBound.Kind.INCLUDED,
                end.key(), end.kind() == KeyBound.Kind.INCLUDED);
    }

    SstView view() {
        return view;
    }

    /** Whether the SST was opened through this record, and so checked against it, already. */
    boolean checked() {
        return matched != null;
    }

    /** The opened SST last found to match this record, while it is still in memory, or null. */
    SstHandle matchedHandle() {
        WeakReference<SstHandle> last = matched;
        return last == null ? null : last.get();
    }

    /** Whether {@code handle} is the opening of the SST last found to match this record. */
    boolean matched(SstHandle handle) {
        return matchedHandle() == handle;
    }

    /** Records that {@code handle}, opened through this record, matched it. */
    void markMatched(SstHandle handle) {
        matched = new WeakReference<>(handle);
    }

    String path() {
        return path;
    }

    /** The manifest listing this view, as errors name it. */
    String listedBy() {
        return listedBy == null ? "the manifest" : "manifest " + listedBy;
    }

    @Override
    public byte[] startKey() {
        return startKey;
    }

    /** The effective range, which includes the visible range's restriction. */
    @Override
    public KeyRange visibleRange() {
        return effectiveRange;
    }

    /** Whether {@code key} may be shown by this SST. */
    boolean mayHold(byte[] key) {
        return effectiveRange.contains(key);
    }

    /** Whether the SST's first key sorts after {@code key}. */
    boolean startsAfter(byte[] key) {
        return Arrays.compareUnsigned(startKey, key) > 0;
    }

    @Override
    public String toString() {
        return "TableRef[" + path + ", " + effectiveRange + "]";
    }
}

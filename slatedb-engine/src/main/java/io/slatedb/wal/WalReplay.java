package io.slatedb.wal;

import io.slatedb.WalTruncatedException;
import io.slatedb.format.DbLayout;
import io.slatedb.store.ObjectStore;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads WAL files {@code [first, last]} in id order, a few ahead of the caller. A file that does not
 * exist fails the read with {@link WalTruncatedException}; what that means is the caller's decision
 * (a writer re-checks its epoch, a change feed reports truncation).
 */
public final class WalReplay {
    private final ObjectStore store;
    private final DbLayout layout;
    private final long last;
    private final int preload;
    private final Deque<CompletableFuture<Optional<WalFile>>> pending = new ArrayDeque<>();
    private long nextToFetch;
    private long nextToReturn;

    /**
     * @param first   the first id to read
     * @param last    the last id to read (inclusive); {@code first - 1} reads nothing
     * @param preload how many files to fetch ahead (SlateDB uses 4)
     */
    public WalReplay(ObjectStore store, DbLayout layout, long first, long last, int preload) {
        if (preload < 1) {
            throw new IllegalArgumentException("preload must be positive: " + preload);
        }
        this.store = store;
        this.layout = layout;
        this.last = last;
        this.preload = preload;
        this.nextToFetch = first;
        this.nextToReturn = first;
    }

    /** The next file, or null after the last one. Calls must not overlap. */
    public CompletableFuture<WalFile> next() {
        if (Long.compareUnsigned(nextToReturn, last) > 0) {
            return CompletableFuture.completedFuture(null);
        }
        while (pending.size() < preload && Long.compareUnsigned(nextToFetch, last) <= 0) {
            pending.addLast(WalObjects.read(store, layout, nextToFetch));
            nextToFetch++;
        }
        long id = nextToReturn++;
        return pending.removeFirst().thenApply(found -> found.orElseThrow(
                () -> new WalTruncatedException(id, layout.walSstPath(id))));
    }
}

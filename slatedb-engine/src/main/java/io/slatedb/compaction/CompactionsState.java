package io.slatedb.compaction;

import io.slatedb.format.Ulid;

import java.util.ArrayList;
import java.util.List;

/**
 * The content of a {@code .compactions} object: the compactor epoch and the recent compactions. As
 * SlateDB keeps it, the list holds the compactions still running plus the most recently finished
 * one, oldest first.
 *
 * @param compactorEpoch the epoch of the compactor that wrote it
 * @param recent         the compactions, oldest first
 */
public record CompactionsState(long compactorEpoch, List<CompactionRecord> recent) {

    /** What a database's first {@code .compactions} object holds. */
    public static final CompactionsState INITIAL = new CompactionsState(0, List.of());

    public CompactionsState {
        recent = List.copyOf(recent);
    }

    /** This state with another epoch. */
    public CompactionsState withEpoch(long epoch) {
        return new CompactionsState(epoch, recent);
    }

    /** This state with {@code record} added at the end, or replacing the entry with its id. */
    public CompactionsState with(CompactionRecord record) {
        List<CompactionRecord> list = new ArrayList<>(recent);
        boolean replaced = false;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id().equals(record.id())) {
                list.set(i, record);
                replaced = true;
            }
        }
        if (!replaced) {
            list.add(record);
        }
        return new CompactionsState(compactorEpoch, trimmed(list));
    }

    /**
     * This state as a newly started compactor takes it over: compactions an earlier compactor left
     * unfinished are dropped (their outputs were never listed in a manifest: they are garbage).
     */
    public CompactionsState abandonUnfinished() {
        List<CompactionRecord> list = new ArrayList<>();
        for (CompactionRecord record : recent) {
            if (record.status().finished()) {
                list.add(record);
            }
        }
        return new CompactionsState(compactorEpoch, trimmed(list));
    }

    /** The entry with {@code id}, or null. */
    public CompactionRecord find(Ulid id) {
        return recent.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }

    /** Keeps the unfinished entries and the newest finished one, in their order. */
    private static List<CompactionRecord> trimmed(List<CompactionRecord> list) {
        CompactionRecord lastFinished = null;
        for (CompactionRecord record : list) {
            if (record.status().finished()) {
                lastFinished = record;
            }
        }
        List<CompactionRecord> kept = new ArrayList<>();
        for (CompactionRecord record : list) {
            if (!record.status().finished() || record == lastFinished) {
                kept.add(record);
            }
        }
        return kept;
    }
}

package io.slatedb.gc;

import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.format.DbLayout;
import io.slatedb.format.Ulid;
import io.slatedb.metadata.Versioned;
import io.slatedb.store.ObjectMetadata;
import io.slatedb.util.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Collection of this database's {@code compacted/} directory (L0 and sorted-run SSTs). An SST goes
 * when no active manifest references it and its ULID time is before the cutoff
 * {@code min(now - min_age, compactions low watermark, newest L0 in the latest manifest)}: the
 * watermark protects the outputs of running compactions, the newest L0 those of L0 flushes whose
 * manifest update is still on its way. The ULID's embedded time counts, not the object's mtime.
 *
 * <p>The {@code .compactions} file is read before the manifests, so a compaction that commits in
 * between is seen either as running (its outputs protected by the watermark) or as committed (its
 * outputs in the manifest). Without a {@code .compactions} file (no compactor has ever run, or one
 * that does not persist its state) nothing is deleted, as in SlateDB.
 */
final class CompactedGc {
    private static final Logger LOG = LoggerFactory.getLogger(CompactedGc.class);

    private CompactedGc() {
    }

    /** The low watermark of the latest {@code .compactions} file (see {@link CompactionsWatermark}). */
    static long compactionsWatermark(GcContext context) {
        try {
            Optional<Versioned<byte[]>> latest = Futures.join(context.compactions().readLatest());
            return CompactionsWatermark.of(latest.map(Versioned::value).orElse(null));
        } catch (RuntimeException unreadable) {
            LOG.warn("garbage collection could not read the compactions file of {}; no compacted SST is deleted: {}",
                    context.layout().root(), String.valueOf(unreadable));
            return CompactionsWatermark.NONE;
        }
    }

    /** The compacted SSTs of the database (direct children of {@code compacted/} named by a ULID). */
    record Sst(Ulid id, String path) {
    }

    static List<Sst> list(GcContext context) {
        String dir = context.layout().compactedDir() + "/";
        List<Sst> ssts = new ArrayList<>();
        for (ObjectMetadata object : Futures.join(context.store().listAll(dir))) {
            if (object.path().indexOf('/', dir.length()) >= 0) {
                continue;
            }
            DbLayout.parseCompactedSstId(object.path()).ifPresent(id -> ssts.add(new Sst(id, object.path())));
        }
        return ssts;
    }

    /**
     * @param watermark the compactions low watermark, read before {@code live} was loaded
     * @return the paths deleted, or with {@code dryRun} of those that would be
     */
    static List<String> collect(GcContext context, long watermark, LiveState live,
                                GarbageCollectorDirectoryOptions options, Instant now, boolean dryRun) {
        long cutoff = Math.min(Ages.cutoffMillis(options, now), Math.min(watermark, live.newestL0Millis()));
        Set<Ulid> active = live.activeSstIds();
        List<Sst> selected = new ArrayList<>();
        for (Sst sst : list(context)) {
            if (sst.id().timestampMillis() < cutoff && !active.contains(sst.id())) {
                selected.add(sst);
            }
        }
        LOG.debug("compacted SST cutoff for {}: {} (watermark {}, newest L0 {}); {} SSTs selected",
                context.layout().root(), cutoff, watermark, live.newestL0Millis(), selected.size());
        if (dryRun) {
            return selected.stream().map(Sst::path).toList();
        }
        return Deletions.run(selected, Sst::path, sst -> context.store().delete(sst.path()));
    }
}

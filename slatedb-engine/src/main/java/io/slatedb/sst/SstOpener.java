package io.slatedb.sst;

import io.slatedb.CorruptObjectException;
import io.slatedb.format.FormatException;
import io.slatedb.util.Futures;

import java.util.concurrent.CompletableFuture;

/**
 * Opens an SST from its tail: footer, then info, then index, reading further back only when the tail
 * does not reach a part. Every decoding problem becomes a {@link CorruptObjectException} for the path.
 */
final class SstOpener {
    private SstOpener() {
    }

    /** The last bytes of an object, from {@code start} to its end. */
    private record Tail(long start, byte[] bytes) {
        int at(long offset) {
            return (int) (offset - start);
        }

        Tail prepend(byte[] earlier) {
            byte[] joined = new byte[earlier.length + bytes.length];
            System.arraycopy(earlier, 0, joined, 0, earlier.length);
            System.arraycopy(bytes, 0, joined, earlier.length, bytes.length);
            return new Tail(start - earlier.length, joined);
        }
    }

    /**
     * Opens the object {@code path} of {@code size} bytes whose last bytes are {@code tailBytes};
     * {@code ranged} reads the rest.
     */
    static CompletableFuture<SstOpenResult> open(String path, long size, byte[] tailBytes, RangeReader ranged,
                                                 SstReaderOptions options) {
        if (SstFooter.isEmptySst(size)) {
            return CompletableFuture.completedFuture(new SstOpenResult.Empty(path, size));
        }
        if (tailBytes.length > size || tailBytes.length < SstFooter.SIZE) {
            return CompletableFuture.failedFuture(new CorruptObjectException(path, "read of the last "
                    + tailBytes.length + " bytes of a " + size + "-byte object is inconsistent"));
        }
        Tail tail = new Tail(size - tailBytes.length, tailBytes);
        SstFooter footer = SstFooter.parse(tailBytes, tailBytes.length - SstFooter.SIZE);
        long infoEnd = size - SstFooter.SIZE;
        return decoding(path, () -> {
            BlockFormat format = BlockFormat.forSstVersion(footer.version());
            long metadataOffset = footer.metadataOffset();
            if (metadataOffset < 0 || metadataOffset > infoEnd - 4) {
                throw new FormatException("metadata offset " + Long.toUnsignedString(metadataOffset)
                        + " is outside the " + size + "-byte object");
            }
            return reach(tail, metadataOffset, ranged).thenCompose(withInfo -> decoding(path, () -> {
                SstInfo info = SstFooter.decodeInfo(withInfo.bytes(), withInfo.at(metadataOffset), withInfo.at(infoEnd));
                SstLayout.checkInfo(info, metadataOffset);
                return reach(withInfo, info.indexOffset(), ranged).thenApply(withIndex -> decodedOrCorrupt(path, () -> {
                    int at = withIndex.at(info.indexOffset());
                    SstIndex index = SstIndex.decode(BlockFraming.decode(info.compression(), withIndex.bytes(), at,
                            (int) info.indexLength()));
                    SstLayout.checkIndex(info, index);
                    SstLayout layout = new SstLayout(path, size, format, info, index);
                    // A tail holding the whole object serves every later read; otherwise reads go to the store.
                    RangeReader source = withIndex.start() == 0 ? new ByteArrayRangeReader(path, withIndex.bytes()) : ranged;
                    SstReader reader = new SstReader(layout, source, options);
                    if (info.filterLength() > 0 && info.filterOffset() >= withIndex.start()) {
                        // The opening read usually reaches back over the filter too: decode it from
                        // those bytes rather than read it again on the first get.
                        reader.preloadFilter(withIndex.bytes(), withIndex.at(info.filterOffset()));
                    }
                    return new SstOpenResult.Opened(reader);
                }));
            }));
        });
    }

    /** {@code tail} extended back to {@code offset}, with one more read if needed. */
    private static CompletableFuture<Tail> reach(Tail tail, long offset, RangeReader ranged) {
        if (offset >= tail.start()) {
            return CompletableFuture.completedFuture(tail);
        }
        return ranged.read(offset, tail.start()).thenApply(tail::prepend);
    }

    private interface Step<T> {
        T run();
    }

    private static <T> CompletableFuture<T> decoding(String path, Step<CompletableFuture<T>> step) {
        try {
            return step.run();
        } catch (FormatException e) {
            return CompletableFuture.failedFuture(new CorruptObjectException(path, e.getMessage(), e));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(Futures.unwrap(e));
        }
    }

    private static <T> T decodedOrCorrupt(String path, Step<T> step) {
        try {
            return step.run();
        } catch (FormatException e) {
            throw new CorruptObjectException(path, e.getMessage(), e);
        }
    }
}

package io.slatedb.reader;

/**
 * Sizes of a {@link TableStore}'s caches and how it opens SSTs.
 *
 * @param dataCacheBytes  budget of the data block cache (decoded bytes); 0 disables it
 * @param metaCacheBytes  budget of the metadata cache (opened SSTs: info, index, bloom filter)
 * @param initialReadSize bytes of an SST's tail read when opening it (see
 *                        {@link io.slatedb.sst.SstReaderOptions#initialReadSize()})
 */
public record TableStoreOptions(long dataCacheBytes, long metaCacheBytes, int initialReadSize) {

    /** SlateDB's split cache defaults: 512 MiB of data blocks, 128 MiB of metadata; 64 KiB first reads. */
    public static final TableStoreOptions DEFAULTS = new TableStoreOptions(512L << 20, 128L << 20, 64 * 1024);

    public TableStoreOptions {
        if (dataCacheBytes < 0) {
            throw new IllegalArgumentException("data cache budget must not be negative: " + dataCacheBytes);
        }
        if (metaCacheBytes < 0) {
            throw new IllegalArgumentException("metadata cache budget must not be negative: " + metaCacheBytes);
        }
        if (initialReadSize < 16) {
            throw new IllegalArgumentException("initial read size must be at least 16 bytes: " + initialReadSize);
        }
    }

    public TableStoreOptions withDataCacheBytes(long bytes) {
        return new TableStoreOptions(bytes, metaCacheBytes, initialReadSize);
    }

    public TableStoreOptions withMetaCacheBytes(long bytes) {
        return new TableStoreOptions(dataCacheBytes, bytes, initialReadSize);
    }

    public TableStoreOptions withInitialReadSize(int bytes) {
        return new TableStoreOptions(dataCacheBytes, metaCacheBytes, bytes);
    }
}

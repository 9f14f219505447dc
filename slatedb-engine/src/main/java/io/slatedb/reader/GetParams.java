package io.slatedb.reader;

/**
 * How a point get reads SSTs.
 *
 * @param cacheBlocks whether data blocks the get loads are added to the block cache (it always looks
 *                    there first)
 */
public record GetParams(boolean cacheBlocks) {
    /** SlateDB's {@code ReadOptions} default: cache the blocks. */
    public static final GetParams DEFAULTS = new GetParams(true);
    private static final GetParams NO_CACHING = new GetParams(false);

    /** The params with {@code cacheBlocks}, shared: a get allocates none. */
    public static GetParams of(boolean cacheBlocks) {
        return cacheBlocks ? DEFAULTS : NO_CACHING;
    }
}

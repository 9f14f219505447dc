package io.slatedb.sst;

import io.slatedb.format.ByteSink;
import io.slatedb.CompressionCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes SSTs in format version 1 (V1 blocks), as SlateDB versions before 0.9 did, for the read-support
 * tests: this library only writes version 2.
 */
final class VersionOneSst {
    private VersionOneSst() {
    }

    static byte[] write(List<RowEntry> rows, int rowsPerBlock, CompressionCodec codec) {
        ByteSink out = new ByteSink();
        List<BlockMeta> metas = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += rowsPerBlock) {
            List<RowEntry> blockRows = rows.subList(from, Math.min(rows.size(), from + rowsPerBlock));
            // Older writers stored the block's first key in the index.
            metas.add(new BlockMeta(out.size(), blockRows.get(0).key()));
            out.write(BlockFraming.encode(codec, BlockTest.v1Block(blockRows)));
        }
        long dataEnd = out.size();
        byte[] index = BlockFraming.encode(codec, new SstIndex(metas).encode());
        out.write(index);
        SstInfo info = new SstInfo(rows.get(0).key(), dataEnd, index.length, dataEnd, 0, codec, SstType.COMPACTED,
                rows.get(rows.size() - 1).key(), 0, 0, FilterFormat.LEGACY);
        out.write(SstFooter.encode(info, out.size(), 1));
        return out.toByteArray();
    }
}

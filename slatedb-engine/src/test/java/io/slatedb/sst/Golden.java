package io.slatedb.sst;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads the SSTs written by the Rust SlateDB 0.12.1 under {@code src/test/resources/golden/sst}. */
final class Golden {
    static final String[] CODECS = {"plain", "snappy", "zlib", "lz4", "zstd"};

    private Golden() {
    }

    static byte[] read(String relativePath) {
        String resource = "/golden/sst/" + relativePath;
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] compacted(String codec) {
        return read(codec + "/compacted.sst");
    }

    static byte[] wal(String codec) {
        return read(codec + "/wal-00000000000000000002.sst");
    }

    static byte[] walFence(String codec) {
        return read(codec + "/wal-00000000000000000001.sst");
    }
}

package io.slatedb.flink;

import java.nio.file.Path;

/** Store URLs for tests. */
final class TestStores {

    private TestStores() {
    }

    /** The {@code file:///} store URL of a local directory. */
    static String url(Path directory) {
        return "file://" + directory.toAbsolutePath();
    }
}

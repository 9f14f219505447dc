package io.slatedb.connect.source;

/** The connector's version: the jar's implementation version, or {@code unknown} when run from classes. */
final class Versions {

    private Versions() {
    }

    static String version() {
        String version = SlateDbSourceConnector.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}

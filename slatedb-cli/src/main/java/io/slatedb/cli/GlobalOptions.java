package io.slatedb.cli;

import io.slatedb.store.ObjectStore;
import io.slatedb.store.ObjectStores;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * The options every command takes, before or after the command name: where the database is
 * ({@code --store}, {@code --path}) and how to report ({@code --json}, {@code --verbose}). They are
 * inherited options of the root command, so their values live here whichever command they follow.
 */
public final class GlobalOptions {
    /** The database root inside the store when {@code --path} is not given. */
    public static final String DEFAULT_PATH = "db";
    /** The directory, relative to the working directory, that is the store when {@code --store} is not given. */
    public static final String DEFAULT_STORE_DIRECTORY = "data";

    @Option(names = "--store", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The object store: file:///abs/dir, s3://bucket/prefix?endpoint=...&region=... or"
                    + " memory:///. Default: the directory ./" + DEFAULT_STORE_DIRECTORY + " (created by the first command that writes).")
    private String store;

    // How a store URL becomes a store; tests put a fault-injecting store around the resolved one.
    private Function<String, ObjectStore> stores = ObjectStores::resolve;

    @Option(names = "--path", paramLabel = "DB_PATH", scope = ScopeType.INHERIT, converter = DbPathConverter.class,
            description = "The database root inside the store: one or more names joined by '/', with no"
                    + " leading or trailing '/' and no empty, '.' or '..' name (tenants/a/db). Default: "
                    + DEFAULT_PATH + ".")
    private String path;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print machine-readable JSON.")
    private boolean json;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    private boolean verbose;

    /** The store URL: {@code --store}, or {@code file://} of {@code ./data} under the working directory. */
    public String storeUrl() {
        return store != null ? store : defaultStoreUrl(Path.of(System.getProperty("user.dir")));
    }

    /** The database root inside the store. */
    public String dbPath() {
        return path != null ? path : DEFAULT_PATH;
    }

    /** The database root inside the store: {@code --path}, or {@code fallback} when it is not given. */
    public String dbPathOr(String fallback) {
        return path != null ? path : fallback;
    }

    /** Whether {@code --store} was given. */
    public boolean storeGiven() {
        return store != null;
    }

    public boolean json() {
        return json;
    }

    public boolean verbose() {
        return verbose;
    }

    /**
     * Opens the store. A URL that names no supported store is a usage error of the command {@code spec}
     * describes.
     */
    public ObjectStore openStore(CommandSpec spec) {
        String url = storeUrl();
        try {
            return stores.apply(url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid --store: " + e.getMessage(), e);
        }
    }

    /** Opens stores with {@code opener} instead of {@link ObjectStores#resolve}. */
    void openStoresWith(Function<String, ObjectStore> opener) {
        this.stores = Objects.requireNonNull(opener, "opener");
    }

    /** {@code file:///<workingDirectory>/data}, percent-encoded where the path needs it. */
    static String defaultStoreUrl(Path workingDirectory) {
        Path directory = workingDirectory.toAbsolutePath().normalize().resolve(DEFAULT_STORE_DIRECTORY);
        try {
            return new URI("file", "", directory.toString(), null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the working directory " + directory + " has no file URL", e);
        }
    }
}

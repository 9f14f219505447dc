package io.slatedb.format;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.store.StorePaths;

import java.util.List;
import java.util.Optional;

/**
 * Where a database's objects live under its root path, and how their names are parsed back.
 *
 * <pre>
 * &lt;root&gt;/manifest/&lt;id:020&gt;.manifest         manifests (u64 id, 20-digit zero padded)
 * &lt;root&gt;/wal/&lt;id:020&gt;.sst                   WAL SSTs and fence objects
 * &lt;root&gt;/compacted/&lt;ULID&gt;.sst              L0 and sorted-run SSTs
 * &lt;root&gt;/compactions/&lt;id:020&gt;.compactions   compactor state
 * &lt;root&gt;/gc/manifest.boundary, &lt;root&gt;/gc/compactions.boundary
 * &lt;root&gt;/gc/wal.boundary                   this engine's WAL deletion bound (SlateDB never reads it)
 * &lt;root&gt;/.deleting                           present only while the database is being deleted
 * </pre>
 *
 * <p><b>A database path</b> (the root) is one or more segments joined by single {@code /}: no leading or
 * trailing {@code /}, no empty, {@code .} or {@code ..} segment, and otherwise the rules of an object
 * path ({@link StorePaths}). So {@code tenants/a/db} names one database and only one spelling names it;
 * {@code ""}, {@code /db}, {@code db/} and {@code a//b} are refused rather than normalized, and the
 * top of a store is never a database. {@link #of} is where every handle checks its path. Ids are
 * unsigned 64-bit values held in {@code long}s.
 */
public final class DbLayout {
    static final String MANIFEST_DIR = "manifest";
    static final String WAL_DIR = "wal";
    static final String COMPACTED_DIR = "compacted";
    static final String COMPACTIONS_DIR = "compactions";
    static final String GC_DIR = "gc";
    static final String MANIFEST_EXTENSION = "manifest";
    static final String SST_EXTENSION = "sst";
    static final String COMPACTIONS_EXTENSION = "compactions";

    private final String root;

    private DbLayout(String root) {
        this.root = root;
    }

    /**
     * The layout of the database at {@code rootPath}.
     *
     * @throws SlateDbException of kind {@link ErrorKind#INVALID}, naming the path and the rule it breaks,
     *                          when {@code rootPath} is not a database path
     */
    public static DbLayout of(String rootPath) {
        Optional<String> problem = pathProblem(rootPath);
        if (problem.isPresent()) {
            throw new SlateDbException(ErrorKind.INVALID, problem.get());
        }
        return new DbLayout(rootPath);
    }

    /** What is wrong with {@code rootPath} as a database path, or empty when it is one. */
    public static Optional<String> pathProblem(String rootPath) {
        return StorePaths.pathProblem(rootPath, "database path");
    }

    /** The root path, as given (a valid database path). */
    public String root() {
        return root;
    }

    public String manifestDir() {
        return join(MANIFEST_DIR);
    }

    public String walDir() {
        return join(WAL_DIR);
    }

    public String compactedDir() {
        return join(COMPACTED_DIR);
    }

    public String compactionsDir() {
        return join(COMPACTIONS_DIR);
    }

    /** The directory of the GC boundary files. */
    public String gcDir() {
        return join(GC_DIR);
    }

    /**
     * The list prefixes ({@code <root>/<dir>/}) that together hold every object of the database except
     * the {@link #deletingMarkerPath() marker}. Listing them never lists another database's objects,
     * not even one nested under this root.
     */
    public List<String> objectDirectoryPrefixes() {
        return List.of(manifestDir() + "/", walDir() + "/", compactedDir() + "/", compactionsDir() + "/",
                gcDir() + "/");
    }

    public String manifestPath(long id) {
        return join(MANIFEST_DIR + "/" + paddedId(id) + "." + MANIFEST_EXTENSION);
    }

    public String walSstPath(long id) {
        return join(WAL_DIR + "/" + paddedId(id) + "." + SST_EXTENSION);
    }

    public String compactedSstPath(Ulid id) {
        return join(COMPACTED_DIR + "/" + id + "." + SST_EXTENSION);
    }

    public String compactionsPath(long id) {
        return join(COMPACTIONS_DIR + "/" + paddedId(id) + "." + COMPACTIONS_EXTENSION);
    }

    public String manifestBoundaryPath() {
        return join(GC_DIR + "/manifest.boundary");
    }

    public String compactionsBoundaryPath() {
        return join(GC_DIR + "/compactions.boundary");
    }

    /**
     * The WAL id below which a collector run of this engine may be deleting WAL files, raised before it
     * re-reads the manifest and deletes (ASCII decimal, like the boundary files). WAL retention slots
     * check it after they are written. SlateDB reads only the two boundary files by name, so this extra
     * object under {@code gc/} is invisible to it; {@code Admin.deleteDb} deletes it with the rest.
     */
    public String walBoundaryPath() {
        return join(GC_DIR + "/wal.boundary");
    }

    /** The marker that exists only while the database is being deleted. */
    public String deletingMarkerPath() {
        return join(".deleting");
    }

    /** The manifest id named by {@code path} (a full path or a file name), or empty if it isn't one. */
    public static Optional<Long> parseManifestId(String path) {
        return parseSequenceId(path, MANIFEST_EXTENSION);
    }

    /** The WAL SST id named by {@code path}, or empty if it isn't a WAL SST name. */
    public static Optional<Long> parseWalSstId(String path) {
        return parseSequenceId(path, SST_EXTENSION);
    }

    /** The compactions id named by {@code path}, or empty if it isn't a compactions name. */
    public static Optional<Long> parseCompactionsId(String path) {
        return parseSequenceId(path, COMPACTIONS_EXTENSION);
    }

    /** The compacted SST id named by {@code path}, or empty if it isn't a compacted SST name. */
    public static Optional<Ulid> parseCompactedSstId(String path) {
        return idPart(path, SST_EXTENSION).flatMap(id -> {
            try {
                return Optional.of(Ulid.parse(id));
            } catch (IllegalArgumentException notUlid) {
                return Optional.empty();
            }
        });
    }

    /**
     * The 20-digit zero-padded decimal form of an unsigned id ({@code {:020}} in SlateDB). Ids at or
     * above 2^63 are negative as {@code long}s, so they are printed unsigned and then padded.
     */
    public static String paddedId(long id) {
        if (id >= 0) {
            return String.format("%020d", id);
        }
        String digits = Long.toUnsignedString(id);
        return "0".repeat(20 - digits.length()) + digits;
    }

    /**
     * The u64 id of a sequenced object name {@code <digits>.<extension>} (any directory), or empty when
     * the name is not one.
     */
    public static Optional<Long> parseSequenceId(String path, String extension) {
        return idPart(path, extension).flatMap(id -> {
            // Only digits: SlateDB lists these names and skips the ones that aren't ids.
            if (!id.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            try {
                return Optional.of(Long.parseUnsignedLong(id));
            } catch (NumberFormatException tooLarge) {
                return Optional.empty();
            }
        });
    }

    /**
     * The id part of a file name whose extension (after the last dot) is {@code extension}: the text
     * before the first dot, as SlateDB parses it.
     */
    private static Optional<String> idPart(String path, String extension) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int lastDot = name.lastIndexOf('.');
        if (lastDot < 0 || !name.substring(lastDot + 1).equals(extension)) {
            return Optional.empty();
        }
        String id = name.substring(0, name.indexOf('.'));
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    private String join(String relative) {
        return root + "/" + relative;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DbLayout other && root.equals(other.root);
    }

    @Override
    public int hashCode() {
        return root.hashCode();
    }

    @Override
    public String toString() {
        return "DbLayout[" + root + "]";
    }
}

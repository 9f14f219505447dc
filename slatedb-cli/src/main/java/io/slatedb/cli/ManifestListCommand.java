package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.slatedb.ManifestInfo;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code slatedb manifest list}: the stored manifests with their sizes and modification times. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Lists the stored manifests: id, size in bytes and last-modified time, by ascending id.")
final class ManifestListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--start", paramLabel = "N", converter = UnsignedLongConverter.class,
            description = "The first id to list (inclusive). Default: the first.")
    private Long start;

    @Option(names = "--end", paramLabel = "N", converter = UnsignedLongConverter.class,
            description = "The id to stop before (exclusive). Default: after the last.")
    private Long end;

    @Override
    public Integer call() {
        long from = start == null ? 0 : start;
        long to = end == null ? -1L : end; // -1 is the largest unsigned value
        if (start != null && end != null && Long.compareUnsigned(from, to) > 0) {
            throw new ParameterException(spec.commandLine(), "--start " + Long.toUnsignedString(from)
                    + " is after --end " + Long.toUnsignedString(to));
        }
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        try (ObjectStore store = options.openStore(spec);
             DatabaseManifests database = new DatabaseManifests(store, options.dbPath())) {
            List<ManifestInfo> manifests = database.list(from, to);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                Json.print(out, json(manifests));
            } else {
                printText(out, manifests);
            }
        }
        return 0;
    }

    private static ArrayNode json(List<ManifestInfo> manifests) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (ManifestInfo manifest : manifests) {
            array.addObject()
                    .put("id", Json.unsigned(manifest.id()))
                    .put("path", manifest.path())
                    .put("size", manifest.sizeBytes())
                    .put("last_modified", manifest.lastModified().toString());
        }
        return array;
    }

    private static void printText(PrintWriter out, List<ManifestInfo> manifests) {
        if (manifests.isEmpty()) {
            out.println("no manifests with ids in the requested range");
        } else {
            TextTable table = new TextTable("ID", "SIZE", "LAST MODIFIED");
            for (ManifestInfo manifest : manifests) {
                table.add(Long.toUnsignedString(manifest.id()), Long.toString(manifest.sizeBytes()),
                        manifest.lastModified().toString());
            }
            table.print(out, "");
        }
        out.flush();
    }
}

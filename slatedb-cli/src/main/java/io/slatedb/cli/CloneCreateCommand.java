package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.Admin;
import io.slatedb.ManifestSnapshot;
import io.slatedb.ManifestView.ExternalDb;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code slatedb clone create}: the database at {@code --path} becomes a clone of {@code --source}. */
@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Makes the database at --path a clone of the database at --source (same store).",
                "From checkpoint --checkpoint of the source, or without it from the source's latest manifest"
                        + " (writes its writer has not flushed are not included). Rerunning finishes an"
                        + " interrupted clone, and changes nothing once it is complete."})
final class CloneCreateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "SOURCE_PATH", converter = DbPathConverter.class,
            description = "The path of the database to clone, in the same store (a database path, as --path).")
    private String source;

    @Option(names = "--checkpoint", paramLabel = "ID", converter = UuidConverter.class,
            description = "The source's checkpoint to clone. Default: the source's latest manifest.")
    private UUID checkpoint;

    @Override
    public Integer call() {
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        ManifestSnapshot clone;
        try (ObjectStore store = options.openStore(spec);
             Admin admin = Admin.builder(options.dbPath(), store).build()) {
            clone = admin.createClone(source, checkpoint);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            ObjectNode root = Json.object().put("path", options.dbPath()).put("source", source)
                    .put("manifest_id", Json.unsigned(clone.id()));
            ArrayNode externals = root.putArray("external_dbs");
            for (ExternalDb external : clone.manifest().externalDbs()) {
                externals.addObject().put("path", external.path())
                        .put("source_checkpoint_id", external.sourceCheckpointId().toString())
                        .put("ssts", external.sstIds().size());
            }
            Json.print(out, root);
        } else {
            out.println("created clone " + options.dbPath() + " of " + source
                    + (checkpoint == null ? "" : " at checkpoint " + checkpoint)
                    + " (manifest " + Long.toUnsignedString(clone.id()) + ")");
            for (ExternalDb external : clone.manifest().externalDbs()) {
                out.println("  reads " + external.sstIds().size() + " SST" + (external.sstIds().size() == 1 ? "" : "s")
                        + " of " + external.path() + ", pinned by its checkpoint " + external.sourceCheckpointId());
            }
            out.flush();
        }
        return 0;
    }
}

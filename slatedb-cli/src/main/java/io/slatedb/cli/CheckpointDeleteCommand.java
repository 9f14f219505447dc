package io.slatedb.cli;

import io.slatedb.Admin;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code slatedb checkpoint delete}: removes a checkpoint; a missing one is not an error. */
@Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Deletes a checkpoint.",
                "Garbage collection may then remove what only it kept. Deleting a checkpoint that does not",
                "exist succeeds and changes nothing."})
final class CheckpointDeleteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", converter = UuidConverter.class, description = "The checkpoint's id.")
    private UUID id;

    @Override
    public Integer call() {
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        try (ObjectStore store = options.openStore(spec);
             Admin admin = Admin.builder(options.dbPath(), store).build()) {
            boolean deleted = admin.deleteCheckpoint(id);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                Json.print(out, Json.object().put("id", id.toString()).put("deleted", deleted));
            } else {
                out.println(deleted ? "deleted checkpoint " + id
                        : "checkpoint " + id + " does not exist; nothing deleted");
                out.flush();
            }
        }
        return 0;
    }
}

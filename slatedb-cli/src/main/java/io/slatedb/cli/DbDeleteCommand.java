package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.Admin;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code slatedb db delete}: deletes the objects of the database (a dry run without {@code --confirm},
 * which fails when there is no database, as reads do).
 */
@Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Deletes the objects of the database at --path (its manifest/, wal/, compacted/,"
                + " compactions/ and gc/ objects; never those of a database nested under it or of another"
                + " database); without --confirm only lists them.",
                "A clone first releases its pins in the databases it reads. Clones made from this database"
                        + " must have detached from it (see 'gc run'), or their reads fail afterwards."})
final class DbDeleteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--confirm", description = "Really delete (default: a dry run that lists the objects).")
    private boolean confirm;

    @Override
    public Integer call() {
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        List<String> paths;
        try (ObjectStore store = options.openStore(spec);
             Admin admin = Admin.builder(options.dbPath(), store).build()) {
            paths = admin.deleteDb(confirm);
            if (paths.isEmpty() && !confirm) {
                // A dry run reads; like every read it fails where there is no database.
                throw new SlateDbException(ErrorKind.DATA, "no database at " + options.dbPath() + " in "
                        + store.describe() + ": it has no objects");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            ObjectNode root = Json.object().put("path", options.dbPath()).put("dry_run", !confirm);
            ArrayNode objects = root.putArray("objects");
            paths.forEach(objects::add);
            Json.print(out, root);
        } else {
            String verb = confirm ? "deleted " : "would delete ";
            paths.forEach(p -> out.println(verb + p));
            out.println(paths.isEmpty() ? "no objects at " + options.dbPath()
                    : (confirm ? "deleted " : "dry run: would delete ") + paths.size() + " object"
                            + (paths.size() == 1 ? "" : "s") + " of " + options.dbPath()
                            + (confirm ? "" : " (add --confirm to delete them)"));
            out.flush();
        }
        return 0;
    }
}

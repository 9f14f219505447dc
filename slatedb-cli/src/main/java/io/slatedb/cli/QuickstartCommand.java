package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code slatedb quickstart}: a short tour of writes, checkpoints, clones and readers. */
@Command(name = "quickstart", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Takes a short tour: writes a database, checkpoints it, clones it and reads both.",
                "Works on the databases quickstart and quickstart-clone (or --path and --path-clone) of the"
                        + " store, deleting both first: every run starts from scratch."})
final class QuickstartCommand implements Callable<Integer> {

    /** The source database's path when {@code --path} is not given. */
    static final String DEFAULT_PATH = "quickstart";

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        String sourcePath = options.dbPathOr(DEFAULT_PATH);
        String clonePath = sourcePath + "-clone";
        Quickstart.Report report;
        try (ObjectStore store = options.openStore(spec)) {
            report = new Quickstart(store, sourcePath, clonePath).run();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            ObjectNode views = Json.object();
            views.set(sourcePath, view(report.sourceView()));
            views.set(clonePath, view(report.cloneView()));
            ObjectNode root = Json.object().put("store", options.storeUrl()).put("source", sourcePath)
                    .put("clone", clonePath).put("deleted_objects", report.deletedObjects())
                    .put("source_keys_written", Quickstart.SOURCE_KEYS).put("l0_ssts", report.l0Ssts())
                    .put("checkpoint_id", report.checkpointId().toString())
                    .put("checkpoint_manifest_id", Json.unsigned(report.checkpointManifest()))
                    .put("clone_manifest_id", Json.unsigned(report.cloneManifest()))
                    .put("shared_ssts", report.sharedSsts())
                    .put("clone_keys_written", Quickstart.CLONE_KEYS);
            root.set("views", views);
            Json.print(out, root);
            return 0;
        }
        int last = Quickstart.SOURCE_KEYS - 1;
        out.println("Quickstart in " + options.storeUrl() + " (databases " + sourcePath + " and " + clonePath
                + ", recreated on every run)");
        out.println("1. wrote " + Quickstart.SOURCE_KEYS + " keys (" + Quickstart.key("key-", 0) + " .. "
                + Quickstart.key("key-", last) + ") to " + sourcePath + " and flushed them to "
                + plural(report.l0Ssts(), "L0 SST"));
        out.println("2. checkpoint " + report.checkpointId() + " of " + sourcePath + " pins its manifest "
                + Long.toUnsignedString(report.checkpointManifest()));
        out.println("3. cloned that checkpoint to " + clonePath + ": it reads " + plural(report.sharedSsts(), "SST")
                + " of " + sourcePath + " in place, copying none");
        out.println("4. wrote " + Quickstart.CLONE_KEYS + " keys (" + Quickstart.key("clone-", 0) + " .. "
                + Quickstart.key("clone-", Quickstart.CLONE_KEYS - 1) + ") to " + clonePath + " and changed "
                + Quickstart.CHANGED_KEY + " there");
        out.println("5. a DbReader of " + sourcePath + " sees " + describe(report.sourceView()));
        out.println("6. a DbReader of " + clonePath + " sees " + describe(report.cloneView()));
        out.println("Next: slatedb" + (options.storeGiven() ? " --store " + options.storeUrl() : "") + " --path "
                + clonePath + " scan --prefix clone- --limit 3");
        out.flush();
        return 0;
    }

    private static String describe(Quickstart.View view) {
        return plural(view.keys(), "key") + ", " + view.cloneKeys() + " of them clone-*, " + Quickstart.CHANGED_KEY
                + " = " + view.changedKey();
    }

    private static ObjectNode view(Quickstart.View view) {
        return Json.object().put("keys", view.keys()).put("clone_keys", view.cloneKeys())
                .put("changed_key_value", view.changedKey());
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

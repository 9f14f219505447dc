package io.slatedb.cli;

import io.slatedb.Compactor;
import io.slatedb.CompactorOptions;
import io.slatedb.Settings;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code slatedb compact}: runs the compactor until it finds nothing more to compact. */
@Command(name = "compact", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Compacts the database until there is nothing more to do, and prints what changed.",
                "Uses the compactor_options of the settings (size-tiered: 4 or more L0 SSTs by default)."
                        + " Claims the compactor epoch, so a compactor running elsewhere (such as a writer's"
                        + " own) is fenced; writers are not."})
final class CompactCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DatabaseOptions databaseOptions = new DatabaseOptions();

    @Override
    public Integer call() {
        Settings settings = databaseOptions.settings(spec);
        CompactorOptions compactorOptions = settings.compactorOptions() != null ? settings.compactorOptions()
                : CompactorOptions.DEFAULT;
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        TreeShape before;
        TreeShape after;
        long compactions;
        long bytes;
        try (ObjectStore store = options.openStore(spec);
             DatabaseManifests manifests = new DatabaseManifests(store, options.dbPath())) {
            before = TreeShape.of(manifests.latest().manifest());
            try (Compactor compactor = Compactor.builder(options.dbPath(), store).withOptions(compactorOptions)
                    .withSettings(settings).build()) {
                compactor.runUntilIdle();
                compactions = compactor.completedCompactions();
                bytes = compactor.bytesWritten();
            }
            after = TreeShape.of(manifests.latest().manifest());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Json.print(out, Json.object().put("compactions", compactions).put("bytes_written", bytes)
                    .put("l0_ssts_before", before.l0Ssts()).put("l0_ssts_after", after.l0Ssts())
                    .put("sorted_runs_before", before.sortedRuns()).put("sorted_runs_after", after.sortedRuns()));
        } else {
            out.println((compactions == 0 ? "nothing to compact" : "ran " + compactions + " compaction"
                    + (compactions == 1 ? "" : "s") + ", wrote " + bytes + " bytes")
                    + ": L0 SSTs " + before.l0Ssts() + " -> " + after.l0Ssts()
                    + ", sorted runs " + before.sortedRuns() + " -> " + after.sortedRuns());
            out.flush();
        }
        return 0;
    }
}

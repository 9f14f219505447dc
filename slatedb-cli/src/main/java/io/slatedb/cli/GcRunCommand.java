package io.slatedb.cli;

import io.slatedb.GarbageCollectorTaskResult;
import io.slatedb.GarbageCollectorResult;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.Admin;
import io.slatedb.GarbageCollectorDirectoryOptions;
import io.slatedb.GarbageCollectorOptions;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code slatedb gc run}: one garbage-collection pass, listing what it deleted (or would). */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs one garbage-collection pass and lists the objects it deleted.",
                "Expired checkpoints are removed first. Without --resource every task runs with SlateDB's"
                        + " defaults (WAL fences only listed, never deleted); a resource named with --resource"
                        + " is deleted unless --dry-run."})
final class GcRunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--dry-run", description = "Only list what would be deleted; change nothing.")
    private boolean dryRun;

    @Option(names = "--resource", paramLabel = "KIND", converter = GcResource.Converter.class,
            description = "Collect only this kind of object: manifest, wal, wal-fence, compacted or compactions;"
                    + " repeatable. Default: all (and clone detaching).")
    private List<GcResource> resources = List.of();

    @Option(names = "--min-age", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Keep objects younger than this, e.g. 0s, 10m. Default: 5m.")
    private Duration minAge;

    @Override
    public Integer call() {
        GarbageCollectorOptions gcOptions = gcOptions();
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        GarbageCollectorResult result;
        try (ObjectStore store = options.openStore(spec);
             Admin admin = Admin.builder(options.dbPath(), store).build();
             DatabaseManifests manifests = new DatabaseManifests(store, options.dbPath())) {
            // A path with no database is an error, not an empty collection.
            manifests.latest();
            result = admin.runGarbageCollection(gcOptions, dryRun);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Json.print(out, json(result));
        } else {
            print(out, result);
        }
        return 0;
    }

    private GarbageCollectorOptions gcOptions() {
        GarbageCollectorOptions.Builder builder = GarbageCollectorOptions.builder();
        Set<GcResource> chosen = resources.isEmpty() ? EnumSet.noneOf(GcResource.class) : EnumSet.copyOf(resources);
        for (GcResource resource : GcResource.values()) {
            GarbageCollectorDirectoryOptions defaults = resource == GcResource.WAL_FENCE
                    ? GarbageCollectorDirectoryOptions.WAL_FENCE_DEFAULT : GarbageCollectorDirectoryOptions.DEFAULT;
            if (!resources.isEmpty() && !chosen.contains(resource)) {
                resource.set(builder, null);
                continue;
            }
            GarbageCollectorDirectoryOptions.Builder task = defaults.toBuilder();
            if (minAge != null) {
                task.minAge(minAge);
            }
            if (chosen.contains(resource)) {
                // Named explicitly, so meant to be deleted (WAL fences default to a dry run).
                task.dryRun(false);
            }
            resource.set(builder, task.build());
        }
        if (!resources.isEmpty()) {
            builder.detachOptions(null);
        }
        return builder.build();
    }

    private static void print(PrintWriter out, GarbageCollectorResult result) {
        for (UUID id : result.expiredCheckpoints()) {
            out.println((result.dryRun() ? "would remove" : "removed") + " expired checkpoint " + id);
        }
        for (GarbageCollectorTaskResult task : result.tasks().values()) {
            String verb = task.dryRun() ? "would delete " : "deleted ";
            for (String path : task.paths()) {
                out.println(verb + path);
            }
        }
        StringBuilder summary = new StringBuilder(result.dryRun() ? "dry run:" : "collected:");
        for (GarbageCollectorTaskResult task : result.tasks().values()) {
            summary.append(' ').append(GcResource.cliName(task.task())).append(' ').append(task.count())
                    .append(task.dryRun() && !result.dryRun() ? " (listed only)" : "").append(',');
        }
        summary.setLength(summary.length() - 1);
        out.println(summary);
        out.flush();
    }

    private static ObjectNode json(GarbageCollectorResult result) {
        ObjectNode root = Json.object().put("dry_run", result.dryRun());
        ArrayNode expired = root.putArray("expired_checkpoints");
        result.expiredCheckpoints().forEach(id -> expired.add(id.toString()));
        ObjectNode tasks = root.putObject("tasks");
        for (GarbageCollectorTaskResult task : result.tasks().values()) {
            ObjectNode node = tasks.putObject(GcResource.cliName(task.task())).put("dry_run", task.dryRun());
            ArrayNode paths = node.putArray("paths");
            task.paths().forEach(paths::add);
        }
        root.put("total", result.totalCount());
        return root;
    }
}

package io.slatedb.cli;

import io.slatedb.Admin;
import io.slatedb.CheckpointCreateResult;
import io.slatedb.CheckpointOptions;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code slatedb checkpoint create}: a detached checkpoint of the latest manifest (or of a source checkpoint's). */
@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Creates a checkpoint and prints its id.",
                "Without --source it pins the manifest that adds it (the latest state); with --source, that",
                "checkpoint's manifest. Writes a running writer has not yet flushed are covered only as far",
                "as the manifest's WAL range reaches."})
final class CheckpointCreateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long it lives, e.g. 30m, 7days, \"1h 30min\". Default: it never expires.")
    private Duration lifetime;

    @Option(names = "--source", paramLabel = "ID", converter = UuidConverter.class,
            description = "An existing checkpoint whose manifest the new one pins too.")
    private UUID source;

    @Option(names = "--name", paramLabel = "NAME", description = "A name to find it by (names need not be unique).")
    private String name;

    @Override
    public Integer call() {
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        try (ObjectStore store = options.openStore(spec);
             Admin admin = Admin.builder(options.dbPath(), store).build()) {
            CheckpointCreateResult created = admin.createDetachedCheckpoint(CheckpointOptions.builder()
                    .lifetime(lifetime).source(source).name(name).build());
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                Json.print(out, Json.object().put("id", created.id().toString())
                        .put("manifest_id", Json.unsigned(created.manifestId())));
            } else {
                out.println("created checkpoint " + created.id() + " (pins manifest "
                        + Long.toUnsignedString(created.manifestId()) + ")");
                out.flush();
            }
        }
        return 0;
    }
}

package io.slatedb.cli;

import io.slatedb.Admin;
import io.slatedb.CheckpointInfo;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code slatedb checkpoint refresh}: gives a checkpoint a new expiry. */
@Command(name = "refresh", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Gives a checkpoint a new expiry.",
                "It expires DURATION from now (without --lifetime: never). Fails when the checkpoint does",
                "not exist."})
final class CheckpointRefreshCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", converter = UuidConverter.class, description = "The checkpoint's id.")
    private UUID id;

    @Option(names = "--lifetime", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The new lifetime from now, e.g. 30m, 7days. Default: it never expires.")
    private Duration lifetime;

    @Override
    public Integer call() {
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        try (ObjectStore store = options.openStore(spec);
             Admin admin = Admin.builder(options.dbPath(), store).build()) {
            CheckpointInfo refreshed = admin.refreshCheckpoint(id, lifetime);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                Json.print(out, CheckpointJson.of(refreshed));
            } else {
                out.println("refreshed checkpoint " + refreshed.id() + ": expires "
                        + (refreshed.expireTime() == null ? "never" : "at " + refreshed.expireTime()));
                out.flush();
            }
        }
        return 0;
    }
}

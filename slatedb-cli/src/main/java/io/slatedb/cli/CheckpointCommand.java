package io.slatedb.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code slatedb checkpoint}: creates, lists, refreshes and deletes checkpoints through an
 * {@link io.slatedb.Admin}, which changes only the manifest's checkpoint list and never fences a running
 * writer.
 */
@Command(name = "checkpoint", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Creates, lists, refreshes and deletes checkpoints.",
                "A checkpoint pins a manifest version, so garbage collection keeps its data. These commands",
                "change only the manifest's checkpoint list: safe while a writer runs (it is not fenced)."},
        subcommands = {CheckpointCreateCommand.class, CheckpointListCommand.class, CheckpointRefreshCommand.class,
                CheckpointDeleteCommand.class})
final class CheckpointCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw MissingSubcommand.of(spec);
    }
}

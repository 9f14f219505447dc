package io.slatedb.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code slatedb flink}: the state a Flink job on the SlateDB state backend keeps, read from a checkpoint's
 * or savepoint's {@code _metadata}. The databases' store comes from the metadata; {@code --store} is not used.
 */
@Command(name = "flink", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Describes and forks the state of Flink jobs on the SlateDB state backend.",
                "Reads a retained checkpoint's or a savepoint's directory (its _metadata); the databases'",
                "store is the one the metadata names."},
        subcommands = {FlinkDescribeCommand.class, FlinkForkCommand.class})
final class FlinkCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw MissingSubcommand.of(spec);
    }
}

package io.slatedb.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slatedb gc}: garbage collection of the database's unreachable objects. */
@Command(name = "gc", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Collects garbage: deletes objects no manifest, checkpoint or clone can reach.",
                "Safe while a writer, compactor or other collectors run."},
        subcommands = {GcRunCommand.class})
final class GcCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw MissingSubcommand.of(spec);
    }
}

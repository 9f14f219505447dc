package io.slatedb.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slatedb clone}: makes the database at {@code --path} a clone of another database. */
@Command(name = "clone", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Creates clones: new databases that start from another database's checkpoint.",
                "A clone reads the source's SSTs where they are (pinned by a checkpoint in the source) and",
                "then lives on with its own manifest, WAL and SSTs."},
        subcommands = {CloneCreateCommand.class})
final class CloneCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw MissingSubcommand.of(spec);
    }
}

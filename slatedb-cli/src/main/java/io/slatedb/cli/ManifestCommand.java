package io.slatedb.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code slatedb manifest}: the commands that read a database's manifests. */
@Command(name = "manifest", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Reads the database's manifests (its committed states).",
        subcommands = {ManifestShowCommand.class, ManifestListCommand.class})
final class ManifestCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw MissingSubcommand.of(spec);
    }
}

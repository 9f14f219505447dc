package io.slatedb.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The usage error of a command group (such as {@code slatedb manifest}) run without a subcommand. */
final class MissingSubcommand {

    private MissingSubcommand() {
    }

    /** A usage error naming the subcommands {@code spec} offers. */
    static ParameterException of(CommandSpec spec) {
        String names = String.join(", ", spec.subcommands().keySet());
        return new ParameterException(spec.commandLine(), "missing command: choose one of " + names);
    }
}

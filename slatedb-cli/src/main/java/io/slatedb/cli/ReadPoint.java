package io.slatedb.cli;

import picocli.CommandLine.Option;

import java.util.UUID;

/**
 * The option of read commands that chooses what they read: the latest state (default) or the state a
 * checkpoint pins ({@code --checkpoint ID}).
 */
final class ReadPoint {

    @Option(names = "--checkpoint", paramLabel = "ID", converter = UuidConverter.class,
            description = "Read the state checkpoint ID pins instead of the latest state.")
    private UUID checkpoint;

    /** The checkpoint to read, or null for the latest state. */
    UUID checkpoint() {
        return checkpoint;
    }
}

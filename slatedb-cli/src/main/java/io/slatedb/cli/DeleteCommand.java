package io.slatedb.cli;

import io.slatedb.WriteHandle;
import io.slatedb.WriteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code slatedb delete KEY}: deletes one key, durably. */
@Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Deletes KEY (writing a tombstone; deleting an absent key is not an error) and returns",
                "once the delete is durable. Opens the database as its writer, fencing any other writer."})
final class DeleteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DatabaseOptions databaseOptions = new DatabaseOptions();

    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8, or hex with --hex).")
    private String key;

    @Option(names = "--hex", description = "KEY is hex; print hex.")
    private boolean hex;

    @Override
    public Integer call() {
        byte[] keyBytes = ByteText.parse(spec, key, hex, "KEY");
        WriteHandle written;
        try (OpenDatabase db = OpenDatabase.forWriting(spec, databaseOptions)) {
            written = db.writer().delete(keyBytes, WriteOptions.DEFAULT);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (SlateDbCli.globalOptions(spec).json()) {
            Json.print(out, DataJson.bytes(Json.object(), "key", keyBytes).put("seq", Json.unsigned(written.seq())));
        } else {
            out.println("deleted " + ByteText.format(keyBytes, hex) + " (seq " + Long.toUnsignedString(written.seq())
                    + ")");
            out.flush();
        }
        return 0;
    }
}

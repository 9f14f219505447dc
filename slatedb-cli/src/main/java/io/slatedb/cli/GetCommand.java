package io.slatedb.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code slatedb get KEY}: prints one value. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints the value of KEY: the text when it is printable UTF-8, otherwise 0x and hex.",
                "A missing key prints nothing on stdout (with --json: \"found\": false) and exits with 1."})
final class GetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DatabaseOptions databaseOptions = new DatabaseOptions();

    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8, or hex with --hex).")
    private String key;

    @Option(names = "--hex", description = "KEY is hex; print the value in hex.")
    private boolean hex;

    @Override
    public Integer call() {
        byte[] keyBytes = ByteText.parse(spec, key, hex, "KEY");
        byte[] value;
        try (OpenDatabase db = OpenDatabase.forReading(spec, databaseOptions)) {
            value = db.get(keyBytes);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (SlateDbCli.globalOptions(spec).json()) {
            Json.print(out, DataJson.bytes(DataJson.bytes(Json.object(), "key", keyBytes).put("found", value != null),
                    "value", value));
        } else if (value != null) {
            out.println(ByteText.format(value, hex));
            out.flush();
        }
        if (value == null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: key " + ByteText.format(keyBytes, hex) + " not found");
            err.flush();
            return 1;
        }
        return 0;
    }
}

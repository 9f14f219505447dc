package io.slatedb.cli;

import io.slatedb.PutOptions;
import io.slatedb.Ttl;
import io.slatedb.WriteHandle;
import io.slatedb.WriteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code slatedb put KEY VALUE}: stores one value, durably. */
@Command(name = "put", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Stores VALUE under KEY (creating the database if needed) and returns once it is",
                "durable in the object store. Opens the database as its writer, fencing any other writer."})
final class PutCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DatabaseOptions databaseOptions = new DatabaseOptions();

    @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8, or hex with --hex).")
    private String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The value (UTF-8, or hex with --hex).")
    private String value;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time to live, e.g. 30s, 1h; the value reads as deleted once compacted after it."
                    + " Default: the database's default_ttl_millis (none: never expires).")
    private Duration ttl;

    @Option(names = "--hex", description = "KEY and VALUE are hex; print hex.")
    private boolean hex;

    @Override
    public Integer call() {
        byte[] keyBytes = ByteText.parse(spec, key, hex, "KEY");
        byte[] valueBytes = ByteText.parse(spec, value, hex, "VALUE");
        PutOptions putOptions = ttl == null ? PutOptions.DEFAULT : new PutOptions(Ttl.expireAfter(ttl));
        WriteHandle written;
        try (OpenDatabase db = OpenDatabase.forWriting(spec, databaseOptions)) {
            written = db.writer().put(keyBytes, valueBytes, putOptions, WriteOptions.DEFAULT);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (SlateDbCli.globalOptions(spec).json()) {
            Json.print(out, DataJson.bytes(DataJson.bytes(Json.object(), "key", keyBytes), "value", valueBytes)
                    .put("seq", Json.unsigned(written.seq())));
        } else {
            out.println("put " + ByteText.format(keyBytes, hex) + " (seq " + Long.toUnsignedString(written.seq()) + ")");
            out.flush();
        }
        return 0;
    }
}

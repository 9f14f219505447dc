package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.DbIterator;
import io.slatedb.KeyValue;
import io.slatedb.ScanOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code slatedb scan}: prints the keys and values of a key range. */
@Command(name = "scan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints the keys and values of a range in key order, one \"KEY<TAB>VALUE\" line each",
                "(text when printable UTF-8, otherwise 0x and hex). Default: every key."})
final class ScanCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DatabaseOptions databaseOptions = new DatabaseOptions();

    @Option(names = "--start", paramLabel = "KEY", description = "The first key (inclusive).")
    private String start;

    @Option(names = "--end", paramLabel = "KEY", description = "The end of the range (exclusive).")
    private String end;

    @Option(names = "--prefix", paramLabel = "PREFIX",
            description = "Only keys starting with PREFIX (instead of --start/--end).")
    private String prefix;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N pairs.")
    private Long limit;

    @Option(names = "--hex", description = "--start, --end and --prefix are hex; print keys and values in hex.")
    private boolean hex;

    @Override
    public Integer call() {
        if (prefix != null && (start != null || end != null)) {
            throw new ParameterException(spec.commandLine(), "--prefix cannot be combined with --start or --end");
        }
        if (limit != null && limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must not be negative: " + limit);
        }
        byte[] startKey = ByteText.parse(spec, start, hex, "--start");
        byte[] endKey = ByteText.parse(spec, end, hex, "--end");
        byte[] prefixKey = ByteText.parse(spec, prefix, hex, "--prefix");
        boolean json = SlateDbCli.globalOptions(spec).json();
        PrintWriter out = spec.commandLine().getOut();
        ArrayNode rows = Json.object().arrayNode();
        long count = 0;
        boolean more;
        try (OpenDatabase db = OpenDatabase.forReading(spec, databaseOptions);
             DbIterator pairs = prefixKey != null ? db.scanPrefix(prefixKey, ScanOptions.DEFAULT)
                     : db.scan(startKey, endKey, ScanOptions.DEFAULT)) {
            while ((limit == null || count < limit) && pairs.hasNext()) {
                KeyValue pair = pairs.next();
                count++;
                if (json) {
                    ObjectNode row = DataJson.bytes(Json.object(), "key", pair.key());
                    rows.add(DataJson.bytes(row, "value", pair.value()));
                } else {
                    out.println(ByteText.format(pair.key(), hex) + "\t" + ByteText.format(pair.value(), hex));
                }
            }
            more = pairs.hasNext();
        }
        if (json) {
            ObjectNode result = Json.object();
            result.set("rows", rows);
            result.put("count", count).put("more", more);
            Json.print(out, result);
        }
        out.flush();
        return 0;
    }
}

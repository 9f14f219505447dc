package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.slatedb.Admin;
import io.slatedb.CheckpointInfo;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code slatedb checkpoint list}: the checkpoints of the latest manifest. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Lists the checkpoints.",
                "For each checkpoint of the latest manifest: id, pinned manifest, creation and expiry time,",
                "name. Expired ones stay listed until garbage collection removes them."})
final class CheckpointListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Only checkpoints with exactly this name; \"\" for the unnamed ones.")
    private String name;

    @Override
    public Integer call() {
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        try (ObjectStore store = options.openStore(spec);
             Admin admin = Admin.builder(options.dbPath(), store).build()) {
            List<CheckpointInfo> checkpoints = admin.listCheckpoints(name);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                checkpoints.forEach(c -> array.add(CheckpointJson.of(c)));
                Json.print(out, array);
            } else {
                if (checkpoints.isEmpty()) {
                    out.println(name == null ? "no checkpoints" : "no checkpoints with that name");
                } else {
                    TextTable table = new TextTable("ID", "MANIFEST", "CREATED", "EXPIRES", "NAME");
                    for (CheckpointInfo c : checkpoints) {
                        table.add(c.id().toString(), Long.toUnsignedString(c.manifestId()), c.createTime().toString(),
                                c.expireTime() == null ? "never" : c.expireTime().toString(),
                                c.name() == null ? "-" : c.name());
                    }
                    table.print(out, "");
                }
                out.flush();
            }
        }
        return 0;
    }
}

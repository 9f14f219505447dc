package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.flink.fork.SnapshotDirectories;
import io.slatedb.flink.fork.SnapshotDirectories.Database;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code slatedb flink describe}: the operators and SlateDB databases of a checkpoint or savepoint. */
@Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Lists what a Flink checkpoint or savepoint holds.",
                "Each operator (id, uid, parallelism), and for each subtask's keyed state on this backend:",
                "key groups, database path, SlateDB checkpoint, size, and what disposing it releases",
                "(checkpoint: a checkpoint of the job's database; pinned-clone: a savepoint's or fork's",
                "own database)."})
final class FlinkDescribeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The checkpoint or savepoint directory (holding _metadata).")
    private String directory;

    @Override
    public Integer call() {
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        CheckpointMetadata metadata = SnapshotDirectories.load(directory, getClass().getClassLoader());
        List<Database> databases = SnapshotDirectories.databases(metadata);
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            ObjectNode json = Json.object();
            json.put("directory", directory);
            json.put("checkpoint_id", metadata.getCheckpointId());
            var operators = json.putArray("operators");
            for (OperatorState operator : metadata.getOperatorStates()) {
                ObjectNode node = operators.addObject();
                node.put("operator_id", operator.getOperatorID().toHexString());
                node.put("operator_uid", operator.getOperatorUid().orElse(null));
                node.put("operator_name", operator.getOperatorName().orElse(null));
                node.put("parallelism", operator.getParallelism());
                node.put("max_parallelism", operator.getMaxParallelism());
                node.put("state_size_bytes", operator.getStateSize());
            }
            json.set("databases", FlinkDatabaseJson.of(databases));
            Json.print(out, json);
            return 0;
        }
        out.println("checkpoint " + metadata.getCheckpointId() + " in " + directory);
        TextTable operators = new TextTable("OPERATOR", "UID", "NAME", "PARALLELISM", "MAX PARALLELISM", "STATE BYTES");
        for (OperatorState operator : metadata.getOperatorStates()) {
            operators.add(operator.getOperatorID().toHexString(), operator.getOperatorUid().orElse("-"),
                    operator.getOperatorName().orElse("-"), Integer.toString(operator.getParallelism()),
                    Integer.toString(operator.getMaxParallelism()), Long.toString(operator.getStateSize()));
        }
        operators.print(out, "");
        out.println();
        if (databases.isEmpty()) {
            out.println("no keyed state on the SlateDB state backend");
        } else {
            String store = databases.get(0).descriptor().getStore();
            out.println("databases in " + store);
            FlinkDatabaseJson.table(databases).print(out, "");
        }
        out.flush();
        return 0;
    }
}

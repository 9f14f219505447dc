package io.slatedb.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slatedb.flink.fork.Forks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code slatedb flink fork}: a new NATIVE savepoint from a retained checkpoint or a savepoint, by cloning
 * ({@link Forks}).
 */
@Command(name = "fork", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Makes a new NATIVE savepoint from a retained checkpoint or a savepoint, by cloning.",
                "Every SlateDB database of the source becomes a pinned clone (no SST copied) under",
                "<--path>/savepoints/fork-<uuid>/ in its store; other state files the metadata references",
                "are copied into NEW_DIR. The job may keep running: the fork outlives the source's expiry.",
                "Start jobs from NEW_DIR like from any savepoint; 'flink savepoint --dispose NEW_DIR'",
                "releases the clones."})
final class FlinkForkCommand implements Callable<Integer> {

    /** Where the clones go when {@code --path} is not given: the state backend's default path. */
    static final String DEFAULT_ROOT = "flink";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The retained checkpoint or savepoint directory.")
    private String source;

    @Parameters(index = "1", paramLabel = "NEW_DIR", description = "The new savepoint's directory (no _metadata yet).")
    private String target;

    @Override
    public Integer call() {
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        Forks.Fork fork = Forks.fork(source, target, options.dbPathOr(DEFAULT_ROOT), getClass().getClassLoader());
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            ObjectNode json = Json.object();
            json.put("source", source);
            json.put("directory", fork.directory());
            json.put("copied_files", fork.copiedFiles());
            json.put("copied_bytes", fork.copiedBytes());
            json.set("databases", FlinkDatabaseJson.of(fork.databases()));
            Json.print(out, json);
            return 0;
        }
        out.println("forked " + source + " into " + fork.directory() + ": " + fork.databases().size()
                + " pinned clone(s), " + fork.copiedFiles() + " file(s) copied (" + fork.copiedBytes() + " bytes)");
        if (!fork.databases().isEmpty()) {
            FlinkDatabaseJson.table(fork.databases()).print(out, "");
        }
        out.flush();
        return 0;
    }
}

package io.slatedb.cli;

import io.slatedb.cli.bench.BenchCommand;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The {@code slatedb} command: reads, writes and inspects a SlateDB database in an object store. Exit codes: 0 when the
 * command succeeded, 1 when it failed (one {@code error:} line on stderr, with the stack trace under
 * {@code --verbose}), 2 when the command line is wrong.
 */
@Command(name = "slatedb", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Reads, writes, inspects and benchmarks a SlateDB database stored in an object store"
                + " (a local directory, S3, memory).",
        subcommands = {PutCommand.class, GetCommand.class, DeleteCommand.class, ScanCommand.class,
                QuickstartCommand.class, BenchCommand.class, ManifestCommand.class, CheckpointCommand.class,
                CloneCommand.class, CompactCommand.class, GcCommand.class, DbCommand.class, FlinkCommand.class},
        footer = {"", "Exit codes: 0 success, 1 error, 2 usage error."})
public final class SlateDbCli implements Runnable {

    @Mixin
    private GlobalOptions globalOptions = new GlobalOptions();

    @Spec
    private CommandSpec spec;

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        PrintWriter out = utf8Writer(FileDescriptor.out);
        PrintWriter err = utf8Writer(FileDescriptor.err);
        int exitCode = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /**
     * Runs {@code args} with output going to {@code out} and {@code err}, and returns the exit code;
     * never exits the JVM.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return newCommandLine(out, err).execute(args);
    }

    /**
     * {@link #run(String[], PrintWriter, PrintWriter)} with the store URL opened by {@code stores}: tests
     * run commands on a store that injects faults. The commands use the store only through the engine's
     * handles ({@code Db}, {@code DbReader}, {@code Admin}, {@code Compactor}), whose retries it exercises.
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, Function<String, ObjectStore> stores) {
        CommandLine commandLine = newCommandLine(out, err);
        ((SlateDbCli) commandLine.getCommand()).globalOptions.openStoresWith(stores);
        return commandLine.execute(args);
    }

    /** A fresh command line (commands keep parsed state, so one serves one run). */
    static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        ErrorReporter errors = new ErrorReporter();
        CommandLine commandLine = new CommandLine(new SlateDbCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setExecutionExceptionHandler(errors);
        // Database paths may equal command names (the default "db", "quickstart"): --path takes them as values.
        commandLine.setAllowSubcommandsAsOptionParameters(true);
        return commandLine;
    }

    /** The global options of the run that {@code spec} (any command of it) belongs to. */
    public static GlobalOptions globalOptions(CommandSpec spec) {
        return ((SlateDbCli) spec.root().userObject()).globalOptions;
    }

    @Override
    public void run() {
        throw MissingSubcommand.of(spec);
    }

    private static PrintWriter utf8Writer(FileDescriptor descriptor) {
        // Keys and names are printed as UTF-8 whatever the platform's default encoding is.
        return new PrintWriter(new OutputStreamWriter(new FileOutputStream(descriptor), StandardCharsets.UTF_8), true);
    }
}

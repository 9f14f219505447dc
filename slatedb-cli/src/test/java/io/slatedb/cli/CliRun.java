package io.slatedb.cli;

import io.slatedb.store.ObjectStore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** One in-process run of the {@code slatedb} command line: its exit code and what it printed. */
public record CliRun(int exitCode, String out, String err) {

    /** Runs {@code args} through picocli exactly as {@link SlateDbCli#main} does, capturing the output. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode;
        try (PrintWriter outWriter = new PrintWriter(out, true); PrintWriter errWriter = new PrintWriter(err, true)) {
            exitCode = SlateDbCli.run(args, outWriter, errWriter);
        }
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** Runs {@code args} against the store at {@code storeUrl} (as if given {@code --store storeUrl}). */
    public static CliRun onStore(String storeUrl, String... args) {
        return of(withStore(storeUrl, args));
    }

    /**
     * {@link #onStore}, with the URL opened by {@code stores} (say, a fault-injecting store around the
     * one it names) instead of as the command line opens it.
     */
    public static CliRun onStore(Function<String, ObjectStore> stores, String storeUrl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode;
        try (PrintWriter outWriter = new PrintWriter(out, true); PrintWriter errWriter = new PrintWriter(err, true)) {
            exitCode = SlateDbCli.run(withStore(storeUrl, args), outWriter, errWriter, stores);
        }
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    private static String[] withStore(String storeUrl, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--store";
        all[args.length + 1] = storeUrl;
        return all;
    }

    /** {@link #onStore}, asserting that the command succeeded and printed nothing on stderr. */
    public static CliRun okOnStore(String storeUrl, String... args) {
        CliRun run = onStore(storeUrl, args);
        assertEquals(0, run.exitCode(), run::describe);
        assertEquals("", run.err(), run::describe);
        return run;
    }

    public List<String> outLines() {
        return out.lines().toList();
    }

    public List<String> errLines() {
        return err.lines().toList();
    }

    /** Everything, for assertion messages. */
    public String describe() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}

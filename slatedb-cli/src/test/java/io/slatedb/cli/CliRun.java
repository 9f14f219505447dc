package io.slatedb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** One in-process run of the {@code slatedb} command line: its exit code and what it printed. */
record CliRun(int exitCode, String out, String err) {

    /** Runs {@code args} through picocli exactly as {@link SlateDbCli#main} does, capturing the output. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode;
        try (PrintWriter outWriter = new PrintWriter(out, true); PrintWriter errWriter = new PrintWriter(err, true)) {
            exitCode = SlateDbCli.run(args, outWriter, errWriter);
        }
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    /** Runs {@code args} against the store at {@code storeUrl} (as if given {@code --store storeUrl}). */
    static CliRun onStore(String storeUrl, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--store";
        all[args.length + 1] = storeUrl;
        return of(all);
    }

    /** {@link #onStore}, asserting that the command succeeded and printed nothing on stderr. */
    static CliRun okOnStore(String storeUrl, String... args) {
        CliRun run = onStore(storeUrl, args);
        assertEquals(0, run.exitCode(), run::describe);
        assertEquals("", run.err(), run::describe);
        return run;
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    /** Everything, for assertion messages. */
    String describe() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}

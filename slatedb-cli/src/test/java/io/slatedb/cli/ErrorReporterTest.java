package io.slatedb.cli;

import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Error lines say what went wrong in words, whatever exception carries it. */
@Timeout(30)
class ErrorReporterTest {

    @Test
    void wrappersAreLookedThroughAndClassNamesLeftOut() {
        SlateDbException cause = new SlateDbException(ErrorKind.DATA, "no manifest exists at db/manifest");
        assertEquals("no manifest exists at db/manifest", ErrorReporter.describe(cause));
        assertEquals("no manifest exists at db/manifest", ErrorReporter.describe(new CompletionException(cause)));
        assertEquals("no manifest exists at db/manifest",
                ErrorReporter.describe(new ExecutionException(new CompletionException(cause))));
        assertEquals("/tmp/x", ErrorReporter.describe(new UncheckedIOException(new NoSuchFileException("/tmp/x"))));
        assertEquals("cannot read: broken pipe", ErrorReporter.describe(
                new IllegalStateException("cannot read: java.io.IOException: broken pipe")));
        assertEquals("wrapped: disk full", ErrorReporter.describe(
                new RuntimeException("wrapped: IOException: disk full")));
        assertEquals("a b c", ErrorReporter.describe(new IOException(" a\n  b\r\nc ")));
    }

    @Test
    void failuresWithoutWordsAreInternalErrors() {
        for (Throwable e : new Throwable[] {new NullPointerException(), new NullPointerException(
                "Cannot invoke \"String.length()\" because \"s\" is null"), new ClassCastException(
                "class java.lang.String cannot be cast to class java.lang.Integer"), new IllegalStateException(),
                new IllegalStateException("  "), new StackOverflowError()}) {
            String line = ErrorReporter.describe(e);
            assertEquals("internal error (run with --verbose for the stack trace)", line, e.toString());
            assertFalse(PathsAndReadOnlyTest.JAVA_CLASS_NAME.matcher(line).find(), line);
        }
    }
}

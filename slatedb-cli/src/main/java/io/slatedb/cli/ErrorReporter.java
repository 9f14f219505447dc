package io.slatedb.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * Reports failures as one {@code error: ...} line on stderr: a wrong command line exits with the usage
 * code (2) and names the help to read, a failed command exits with 1. The stack trace follows the line
 * only under {@code --verbose}.
 */
public final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + describe(e) + " (see '" + command.getCommandSpec().qualifiedName()
                + " --help')");
        if (SlateDbCli.globalOptions(command.getCommandSpec()).verbose()) {
            e.printStackTrace(err);
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        err.println("error: " + describe(e));
        if (SlateDbCli.globalOptions(command.getCommandSpec()).verbose()) {
            e.printStackTrace(err);
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    /** Java class names: qualified ones, and simple names of exceptions and errors. */
    private static final Pattern QUALIFIED_CLASS = Pattern.compile(
            "\\b(?:java|javax|jdk|sun|com|org|io|net|software|picocli)(?:\\.[a-z_][a-z0-9_]*)+\\.[A-Z][A-Za-z0-9_$]*(?::\\s*)?");
    private static final Pattern EXCEPTION_NAME = Pattern.compile("\\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\\b(?::\\s*)?");

    /**
     * What went wrong, on one line and in words: the message of the failure (looking through the
     * wrappers that futures and reflection put around it) with any Java class name left out. Failures
     * whose messages speak only of the program's internals are reported as internal errors.
     */
    public static String describe(Throwable e) {
        Throwable failure = unwrap(e);
        if (failure instanceof OutOfMemoryError) {
            return "out of memory (give the JVM more heap, e.g. with JAVA_OPTS=-Xmx2g)";
        }
        String message = failure.getMessage();
        if (failure instanceof NullPointerException || failure instanceof ClassCastException
                || failure instanceof Error || message == null || message.isBlank()) {
            return "internal error (run with --verbose for the stack trace)";
        }
        String words = EXCEPTION_NAME.matcher(QUALIFIED_CLASS.matcher(message).replaceAll("")).replaceAll("");
        words = oneLine(words);
        return words.isEmpty() ? "internal error (run with --verbose for the stack trace)" : words;
    }

    /** The failure inside the wrappers that add no words of their own. */
    private static Throwable unwrap(Throwable e) {
        Throwable failure = e;
        while (failure.getCause() != null && (failure instanceof CompletionException
                || failure instanceof ExecutionException || failure instanceof InvocationTargetException
                || failure instanceof UndeclaredThrowableException || failure instanceof UncheckedIOException)) {
            failure = failure.getCause();
        }
        return failure;
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}

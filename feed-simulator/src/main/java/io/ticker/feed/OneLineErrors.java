package io.ticker.feed;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How the programs report what went wrong: one line on stderr naming the problem and what to do, then a non-zero
 * exit. A bad flag or value exits 2 with a hint ({@code --help}, picocli's "did you mean"); a failure while running
 * (a busy port, an unreadable file) exits 1. The stack trace is printed only with {@code --verbose}: a user who
 * mistyped a path needs the path, not forty lines of frames.
 */
public final class OneLineErrors {
    /** The flag that adds stack traces to failures. */
    public static final String VERBOSE = "--verbose";

    private OneLineErrors() {
    }

    /** Installs the one-line handlers on {@code commandLine} and returns it. */
    public static CommandLine install(final CommandLine commandLine) {
        return commandLine.setParameterExceptionHandler(OneLineErrors::badUsage)
            .setExecutionExceptionHandler(OneLineErrors::failed);
    }

    /** A bad value, named by its flag in one line: "Invalid value for option '--port': must be 0-65535, was -1". */
    public static CommandLine.ParameterException invalid(final CommandLine commandLine, final String option,
        final String reason) {
        return new CommandLine.ParameterException(commandLine, "Invalid value for option '" + option + "': " + reason);
    }

    /** Throws {@link #invalid} unless {@code condition} holds. */
    public static void require(final CommandLine commandLine, final boolean condition, final String option,
        final String reason) {
        if (!condition) {
            throw invalid(commandLine, option, reason);
        }
    }

    /**
     * Names the file a flag gives that cannot be read, why, in words rather than an exception's, and what to give;
     * nothing when {@code file} is null (the flag was not given).
     */
    public static void requireReadable(final CommandLine commandLine, final Path file, final String option,
        final String wanted) {
        if (file != null && !Files.isReadable(file)) {
            throw invalid(commandLine, option, "cannot read " + file
                + (Files.exists(file) ? " (no permission to read it)" : " (no such file)") + "; give " + wanted);
        }
    }

    /** The {@code --verbose} flag, as a mixin so that every program spells and documents it the same way. */
    public static final class VerboseOption {
        @Option(names = VERBOSE, description = "On a failure, print the stack trace after the one-line message.")
        private boolean verbose;
    }

    /**
     * A failure whose message already says what went wrong and what to do, e.g. "port 8080 on 0.0.0.0 is already in
     * use; stop the other process or choose another --port". Its cause is kept for {@code --verbose}.
     */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** A failure explained by {@code message}, caused by {@code cause} (null if none). */
        public Failure(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    private static int badUsage(final CommandLine.ParameterException e, final String[] args) {
        final CommandLine command = e.getCommandLine();
        final PrintWriter err = command.getErr();
        final StringBuilder line = new StringBuilder(e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            final List<String> suggestions = ((CommandLine.UnmatchedArgumentException) e).getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append("; did you mean ").append(String.join(" or ", suggestions)).append('?');
            }
        }
        line.append("  (see: ").append(command.getCommandSpec().qualifiedName()).append(" --help)");
        err.println(line);
        if (java.util.Arrays.asList(args).contains(VERBOSE)) {
            e.printStackTrace(err);
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int failed(final Exception e, final CommandLine command, final CommandLine.ParseResult parsed) {
        final PrintWriter err = command.getErr();
        final boolean verbose = parsed != null && parsed.hasMatchedOption(VERBOSE);
        err.println(command.getCommandSpec().qualifiedName() + ": " + explanation(e)
            + (verbose ? "" : "  (" + VERBOSE + " shows the stack trace)"));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    private static String explanation(final Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof Failure) {
                return cause.getMessage();
            }
        }
        // Unforeseen: the innermost message is the most specific one there is, without the class names around it.
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        final String message = root.getMessage();
        return "failed: " + (message == null || message.isBlank() ? root.getClass().getSimpleName() : message);
    }
}

package io.ticker.loadgen.cli;

import io.ticker.loadgen.settings.RampUp;
import io.ticker.loadgen.settings.SymbolSkew;
import io.ticker.protocol.DurationText;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The load generator's command line: {@code run} (the default when the first argument is a flag), {@code merge}
 * and {@code compare}. Exit codes: 0 ok, 1 the run failed or missed an assertion, 2 bad usage (the message names the
 * flag).
 */
@Command(name = "load-generator", mixinStandardHelpOptions = true,
    versionProvider = LoadGeneratorMain.Version.class,
    description = "Load-tests a ticker server (or any server that speaks the ticker wire contract) and writes "
        + "results to keep and compare.",
    subcommands = {RunCommand.class, MergeCommand.class, CompareCommand.class, CommandLine.HelpCommand.class},
    footerHeading = "%nExamples:%n",
    footer = {
        "  load-generator run --url ws://localhost:8080/ws --connections 100",
        "  load-generator compare results/A results/B",
        "  load-generator run --help"})
public final class LoadGeneratorMain implements Callable<Integer> {
    /** Exit code for bad usage, a bare command included. */
    static final int EXIT_USAGE = 2;

    private static final Set<String> TOP_LEVEL_FLAGS = Set.of("-h", "--help", "-V", "--version");

    /** The flag that adds stack traces to failures; every subcommand inherits it. */
    static final String VERBOSE = "--verbose";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = VERBOSE, scope = CommandLine.ScopeType.INHERIT,
        description = "On a failure, print the stack trace after the one-line message.")
    private boolean verbose;

    /** Entry point: one {@code execute}, its code to {@code System.exit}. */
    public static void main(final String[] args) {
        // Netty's per-access buffer checks cost the generator CPU on every frame it decodes; the generator only
        // reads what Netty hands it, within bounds (a user may still turn them back on with -D)
        System.setProperty("io.netty.buffer.checkAccessible",
            System.getProperty("io.netty.buffer.checkAccessible", "false"));
        System.setProperty("io.netty.buffer.checkBounds", System.getProperty("io.netty.buffer.checkBounds", "false"));
        System.exit(commandLine().execute(withDefaultSubcommand(args)));
    }

    /** The configured command line, for tests that capture its writers. */
    public static CommandLine commandLine() {
        final CommandLine commandLine = new CommandLine(new LoadGeneratorMain());
        commandLine.registerConverter(Duration.class, text -> converted(text, DurationText::parse));
        commandLine.registerConverter(RampUp.class, text -> converted(text, RampUp::parse));
        commandLine.registerConverter(SymbolSkew.class, text -> converted(text, SymbolSkew::parse));
        commandLine.setParameterExceptionHandler(LoadGeneratorMain::oneLine);
        commandLine.setExecutionExceptionHandler(LoadGeneratorMain::failed);
        return commandLine;
    }

    /**
     * Bad usage is one line naming the flag and where to read about it, not the whole usage after it: the usage of
     * {@code run} is longer than a terminal, and would push the line that matters out of sight.
     */
    private static int oneLine(final CommandLine.ParameterException e, final String[] args) {
        final CommandLine command = e.getCommandLine();
        final StringBuilder line = new StringBuilder(e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            final java.util.List<String> suggestions = ((CommandLine.UnmatchedArgumentException) e).getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append("; did you mean ").append(String.join(" or ", suggestions)).append('?');
            }
        }
        command.getErr().println(line + "  (see: " + command.getCommandSpec().qualifiedName() + " --help)");
        if (Arrays.asList(args).contains(VERBOSE)) {
            e.printStackTrace(command.getErr());
        }
        command.getErr().flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * A failure nobody foresaw (the run's own failures are reported by the run): the innermost message in one line,
     * the stack trace only with {@code --verbose}.
     */
    private static int failed(final Exception e, final CommandLine command, final CommandLine.ParseResult parsed) {
        final boolean verbose = parsed != null && (parsed.hasMatchedOption(VERBOSE)
            || parsed.subcommand() != null && parsed.subcommand().hasMatchedOption(VERBOSE));
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        final String message = root.getMessage() == null || root.getMessage().isBlank()
            ? root.getClass().getSimpleName() : root.getMessage();
        command.getErr().println(command.getCommandSpec().qualifiedName() + ": failed: " + message
            + (verbose ? "" : "  (" + VERBOSE + " shows the stack trace)"));
        if (verbose) {
            e.printStackTrace(command.getErr());
        }
        command.getErr().flush();
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    /** Parses with {@code parser}; its message, which names what is wrong and what would do, becomes picocli's. */
    private static <T> T converted(final String text, final java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /**
     * {@code run} is the default: {@code load-generator --connections 10} means {@code load-generator run ...}. No
     * arguments at all is not a run (it would load localhost:8080 with every default): the usage is printed instead.
     */
    public static String[] withDefaultSubcommand(final String[] args) {
        if (args.length > 0 && args[0].startsWith("-") && !TOP_LEVEL_FLAGS.contains(args[0])) {
            final String[] out = new String[args.length + 1];
            out[0] = "run";
            System.arraycopy(args, 0, out, 1, args.length);
            return out;
        }
        return Arrays.copyOf(args, args.length);
    }

    /** No command: the usage, on stderr, and exit 2, so that a bare invocation starts nothing. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().println("Start a run with, for example: load-generator run --url "
            + "ws://localhost:8080/ws --connections 100 --duration 30s   (load-generator run --help lists every flag)");
        spec.commandLine().getErr().flush();
        return EXIT_USAGE;
    }

    /**
     * The version from the jar manifest ({@code Implementation-Version}, set by the build) and the JVM, in the shape of
     * the server's and the feed's {@code --version}; "(development build)" when run from classes. The load generator's
     * own: it depends on neither of those programs, and ticker-protocol has no picocli.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = LoadGeneratorMain.class.getPackage().getImplementationVersion();
            return new String[] {"load-generator " + (version == null ? "(development build)" : version),
                "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})"};
        }
    }
}

package io.ticker.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.FeedSimulatorMain;
import io.ticker.loadgen.cli.LoadGeneratorMain;
import io.ticker.server.TickerServerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Keeps the documentation true to the programs: every flag that a program's {@code --help} shows is named somewhere in
 * README.md, docs/*.md or a module README, and every relative link in those files (and in results' READMEs) leads to
 * a file that exists, and to a heading that exists when it names one; and every file a results README lists in its
 * table is in the tree.
 *
 * <p>It lives in the load generator's tests because that is the one module whose test classpath holds all three
 * programs' commands (the server is a test dependency, and the feed simulator comes with it).
 */
class DocumentationTest {
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCED_BLOCK = Pattern.compile("(?ms)^```.*?^```");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern URL_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    /** A table row whose first cell is one file name in backticks, as results' READMEs list their files. */
    private static final Pattern FILE_ROW = Pattern.compile("(?m)^\\| `([\\w.-]+\\.[a-z]+)` \\|");

    private final Path root = repositoryRoot();

    @Test
    void shouldDocumentEveryFlagThatEachProgramsHelpShows() {
        final String docs = String.join("\n", read(flagDocuments()));
        final List<String> missing = new ArrayList<>();
        for (final CommandLine program : List.of(TickerServerMain.commandLine(),
            new CommandLine(new FeedSimulatorMain()), LoadGeneratorMain.commandLine())) {
            collectUndocumentedFlags(program, docs, missing);
        }
        assertTrue(missing.isEmpty(), "flags in --help that no README.md, docs/*.md or module README names: "
            + missing);
    }

    @Test
    void shouldResolveEveryRelativeLinkInTheDocs() {
        final List<String> broken = new ArrayList<>();
        for (final Path document : linkDocuments()) {
            final Matcher link = LINK.matcher(withoutFencedBlocks(read(document)));
            while (link.find()) {
                final String target = link.group(1);
                if (!URL_SCHEME.matcher(target).find()) {
                    checkLink(document, target, broken);
                }
            }
        }
        assertTrue(broken.isEmpty(), "links that lead nowhere: " + broken);
    }

    @Test
    void shouldHoldEveryFileThatAResultsReadmeListsInItsTable() {
        final List<String> missing = new ArrayList<>();
        for (final Path readme : resultsReadmes()) {
            final Matcher row = FILE_ROW.matcher(read(readme));
            while (row.find()) {
                if (!Files.isRegularFile(readme.getParent().resolve(row.group(1)))) {
                    missing.add(root.relativize(readme) + " lists " + row.group(1));
                }
            }
        }
        assertTrue(missing.isEmpty(), "files a results README lists that are not in the tree: " + missing);
    }

    /** A program and its subcommands, each option shown in help by its longest name. */
    static void collectUndocumentedFlags(final CommandLine program, final String docs, final List<String> missing) {
        final CommandSpec spec = program.getCommandSpec();
        for (final OptionSpec option : spec.options()) {
            if (!option.hidden() && !isDocumented(option, docs)) {
                missing.add(spec.qualifiedName() + " " + option.longestName());
            }
        }
        for (final CommandLine subcommand : program.getSubcommands().values()) {
            if (!"help".equals(subcommand.getCommandName())) {
                collectUndocumentedFlags(subcommand, docs, missing);
            }
        }
    }

    private static boolean isDocumented(final OptionSpec option, final String docs) {
        final String name = option.longestName();
        final List<String> spellings = new ArrayList<>(List.of(name));
        if (option.negatable() && name.startsWith("--")) {
            spellings.add("--no-" + name.substring(2));
            spellings.add("--[no-]" + name.substring(2));
        }
        return spellings.stream().anyMatch(spelling -> Pattern.compile(
            "(?<![\\w-])" + Pattern.quote(spelling) + "(?![\\w-])").matcher(docs).find());
    }

    private void checkLink(final Path document, final String target, final List<String> broken) {
        final int hash = target.indexOf('#');
        final String path = hash < 0 ? target : target.substring(0, hash);
        final String anchor = hash < 0 ? "" : target.substring(hash + 1);
        final Path file = path.isEmpty() ? document : document.getParent().resolve(path).normalize();
        final String where = root.relativize(document) + " -> " + target;
        if (!Files.exists(file)) {
            broken.add(where + " (no such file)");
        } else if (!anchor.isEmpty() && file.toString().endsWith(".md") && !anchors(read(file)).contains(anchor)) {
            broken.add(where + " (no such heading)");
        }
    }

    /** GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    static Set<String> anchors(final String markdown) {
        final Set<String> ids = new HashSet<>();
        final Map<String, Integer> seen = new HashMap<>();
        final Matcher heading = HEADING.matcher(withoutFencedBlocks(markdown));
        while (heading.find()) {
            final String id = heading.group(1).toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
            final int count = seen.merge(id, 1, Integer::sum);
            ids.add(count == 1 ? id : id + "-" + (count - 1));
        }
        return ids;
    }

    private static String withoutFencedBlocks(final String markdown) {
        return FENCED_BLOCK.matcher(markdown).replaceAll("");
    }

    private List<Path> flagDocuments() {
        final List<Path> documents = new ArrayList<>();
        documents.add(root.resolve("README.md"));
        documents.addAll(markdownIn(root.resolve("docs")));
        documents.addAll(moduleReadmes());
        return documents;
    }

    private List<Path> linkDocuments() {
        final List<Path> documents = flagDocuments();
        documents.add(root.resolve("results/README.md"));
        documents.addAll(resultsReadmes());
        return documents;
    }

    private List<Path> resultsReadmes() {
        try (Stream<Path> runs = Files.list(root.resolve("results"))) {
            return runs.map(run -> run.resolve("README.md")).filter(Files::isRegularFile).sorted().toList();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Path> moduleReadmes() {
        try (Stream<Path> modules = Files.list(root)) {
            return modules.map(module -> module.resolve("README.md")).filter(Files::isRegularFile).sorted().toList();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> markdownIn(final Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".md")).sorted().toList();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(final List<Path> files) {
        return files.stream().map(DocumentationTest::read).toList();
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checkout's root: the nearest folder up from the working directory that holds docs/PROTOCOL.md. */
    private static Path repositoryRoot() {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("docs/PROTOCOL.md"))) {
                return folder;
            }
        }
        throw new IllegalStateException("no docs/PROTOCOL.md above " + Path.of("").toAbsolutePath());
    }
}

package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package of the server's main code depends, directly or through others, on a package that depends on it. Read
 * from the sources: every reference to a server class by its full name (imports, static imports, names written out
 * in code) is an edge from the referring file's package to the referred class's package.
 */
class PackageCyclesTest {
    private static final String ROOT = "io.ticker.server";
    private static final Path MAIN_SOURCES = Path.of("src", "main", "java");
    /** A class of the server named in full: its package is the dotted lower-case part before the class name. */
    private static final Pattern SERVER_CLASS =
        Pattern.compile("\\b(" + Pattern.quote(ROOT) + "(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    @Test
    void shouldHaveNoCycleBetweenServerPackages() throws IOException {
        final Map<String, Set<String>> edges = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> addEdges(read(file), edges));
        }
        assertTrue(edges.size() > 5, "read the server's packages from " + MAIN_SOURCES.toAbsolutePath());

        final List<Set<String>> cycles = cycles(edges);

        assertTrue(cycles.isEmpty(), () -> "package cycles: " + describe(cycles, edges));
    }

    @Test
    void shouldReportTwoPackagesThatReferToEachOther() {
        final Map<String, Set<String>> edges = new TreeMap<>();
        addEdges("package io.ticker.server;\nimport io.ticker.server.web.Page;\nclass A {}", edges);
        addEdges("package io.ticker.server.web;\nclass Page { io.ticker.server.A a; }", edges);
        addEdges("package io.ticker.server.ring;\nimport static io.ticker.server.web.Page.X;\nclass R {}", edges);

        assertEquals(List.of(Set.of("io.ticker.server", "io.ticker.server.web")), cycles(edges));
    }

    @Test
    void shouldReportACycleThroughThreePackagesButNotCommentsOrStrings() {
        final Map<String, Set<String>> edges = new TreeMap<>();
        addEdges("package io.ticker.server.a;\nimport io.ticker.server.b.B;\nclass A {}", edges);
        addEdges("package io.ticker.server.b;\nimport io.ticker.server.c.C;\nclass B {}", edges);
        addEdges("package io.ticker.server.c;\n/** See {@link io.ticker.server.b.B}. */\nclass C {\n"
            + "String s = \"/*\"; // io.ticker.server.a.A\n}", edges);
        assertTrue(cycles(edges).isEmpty(), "a reference in a comment or a string is no dependency");

        addEdges("package io.ticker.server.c;\nclass D { io.ticker.server.a.A a; }", edges);

        assertEquals(List.of(Set.of("io.ticker.server.a", "io.ticker.server.b", "io.ticker.server.c")),
            cycles(edges));
        assertFalse(describe(cycles(edges), edges).isEmpty());
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds an edge from {@code source}'s package to every other server package it names a class of. */
    private static void addEdges(final String source, final Map<String, Set<String>> edges) {
        final String code = withoutCommentsAndLiterals(source);
        final Matcher packageLine = PACKAGE.matcher(code);
        if (!packageLine.find()) {
            return;
        }
        final String from = packageLine.group(1);
        final Set<String> to = edges.computeIfAbsent(from, p -> new TreeSet<>());
        final Matcher reference = SERVER_CLASS.matcher(code);
        while (reference.find()) {
            if (!reference.group(1).equals(from)) {
                to.add(reference.group(1));
                edges.computeIfAbsent(reference.group(1), p -> new TreeSet<>());
            }
        }
    }

    /** {@code source} with comments, strings and chars blanked, so that only code names a class. */
    private static String withoutCommentsAndLiterals(final String source) {
        final StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            final int end;
            if (source.startsWith("//", i)) {
                end = indexOrEnd(source, "\n", i + 2);
            } else if (source.startsWith("/*", i)) {
                end = indexOrEnd(source, "*/", i + 2) + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                end = indexOrEnd(source, "\"\"\"", i + 3) + 3;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != source.charAt(i)) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                end = j + 1;
            } else {
                code.append(source.charAt(i++));
                continue;
            }
            code.append(' ');
            i = Math.min(end, source.length());
        }
        return code.toString();
    }

    private static int indexOrEnd(final String source, final String what, final int from) {
        final int at = source.indexOf(what, from);
        return at < 0 ? source.length() : at;
    }

    /** The strongly connected groups of more than one package (Tarjan), each in name order. */
    private static List<Set<String>> cycles(final Map<String, Set<String>> edges) {
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> lowest = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final List<Set<String>> groups = new ArrayList<>();
        for (final String start : edges.keySet()) {
            if (!index.containsKey(start)) {
                visit(start, edges, index, lowest, stack, groups);
            }
        }
        groups.removeIf(group -> group.size() < 2);
        return groups;
    }

    private static void visit(final String node, final Map<String, Set<String>> edges,
        final Map<String, Integer> index, final Map<String, Integer> lowest, final Deque<String> stack,
        final List<Set<String>> groups) {
        index.put(node, index.size());
        lowest.put(node, index.get(node));
        stack.push(node);
        for (final String next : edges.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                visit(next, edges, index, lowest, stack, groups);
                lowest.put(node, Math.min(lowest.get(node), lowest.get(next)));
            } else if (stack.contains(next)) {
                lowest.put(node, Math.min(lowest.get(node), index.get(next)));
            }
        }
        if (lowest.get(node).equals(index.get(node))) {
            final Set<String> group = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                group.add(member);
            } while (!member.equals(node));
            groups.add(group);
        }
    }

    /** Each cycle with the edges inside it, so the message says which references to cut. */
    private static String describe(final List<Set<String>> cycles, final Map<String, Set<String>> edges) {
        final StringBuilder out = new StringBuilder();
        for (final Set<String> cycle : cycles) {
            out.append("\n  ").append(cycle).append(':');
            for (final String from : cycle) {
                for (final String to : edges.get(from)) {
                    if (cycle.contains(to)) {
                        out.append("\n    ").append(from).append(" -> ").append(to);
                    }
                }
            }
        }
        return out.toString();
    }
}

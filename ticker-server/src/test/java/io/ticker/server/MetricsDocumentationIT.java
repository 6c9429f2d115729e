package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/OPERATIONS.md lists exactly what {@code /metrics} exports: every metric family a real server reports is named
 * in the document, and every name in the document's metric table is one the server reports. A table entry ending in
 * {@code *} (say {@code jvm_memory_*}) stands for every name with that prefix.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsDocumentationIT {
    private static final Pattern TYPE_LINE = Pattern.compile("(?m)^# TYPE (\\S+) \\S+");
    private static final Pattern SAMPLE_LINE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
    private static final Pattern TABLE_NAME = Pattern.compile("`([a-zA-Z_:][a-zA-Z0-9_:]*\\*?)(?:\\{[^`]*\\})?`");
    private static final Path OPERATIONS = Path.of("..", "docs", "OPERATIONS.md");
    private static final Path DASHBOARD = Path.of("..", "docs", "grafana-dashboard.json");
    /** A metric the dashboard queries: the project's, the process's or the JVM's, as a sample line names it. */
    private static final Pattern DASHBOARD_NAME = Pattern.compile("\\b((?:ticker|process|jvm)_[a-z_]+)\\b");

    @Test
    void shouldDocumentExactlyTheMetricsTheServerExports() throws Exception {
        final String exposition;
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0))) {
            final HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            exposition = response.body();
        }
        final Set<String> families = matches(TYPE_LINE, exposition);
        final Set<String> samples = matches(SAMPLE_LINE, exposition);
        samples.addAll(families);
        assertTrue(families.size() > 10, "too few metric families in:\n" + exposition);

        final String document = Files.readString(OPERATIONS, StandardCharsets.UTF_8);
        final Set<String> documented = metricTableNames(document);
        final List<String> undocumented = new ArrayList<>();
        for (final String family : families) {
            if (!document.contains("`" + family + "`") && !document.contains("`" + family + "{")
                && documented.stream().noneMatch(name -> covers(name, family))) {
                undocumented.add(family);
            }
        }
        final List<String> unknown = new ArrayList<>();
        for (final String name : documented) {
            if (samples.stream().noneMatch(sample -> covers(name, sample))) {
                unknown.add(name);
            }
        }
        final List<String> notExportedOnDashboard = new ArrayList<>();
        final Matcher onDashboard = DASHBOARD_NAME.matcher(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
        while (onDashboard.find()) {
            if (!samples.contains(onDashboard.group(1))) {
                notExportedOnDashboard.add(onDashboard.group(1));
            }
        }
        assertTrue(notExportedOnDashboard.isEmpty(), "docs/grafana-dashboard.json queries metrics /metrics does not "
            + "export: " + notExportedOnDashboard);
        assertTrue(undocumented.isEmpty() && unknown.isEmpty(), "exported by /metrics but not in docs/OPERATIONS.md: "
            + undocumented + "; in docs/OPERATIONS.md's metric table but not exported by /metrics: " + unknown);
    }

    private static boolean covers(final String documented, final String exported) {
        return documented.endsWith("*")
            ? exported.startsWith(documented.substring(0, documented.length() - 1))
            : documented.equals(exported);
    }

    /** The names in the first column of the table under "## Metrics". */
    private static Set<String> metricTableNames(final String document) {
        final int section = document.indexOf("\n## Metrics");
        assertTrue(section >= 0, "docs/OPERATIONS.md has no '## Metrics' section");
        final int next = document.indexOf("\n## ", section + 1);
        final String metrics = document.substring(section, next < 0 ? document.length() : next);
        final Set<String> names = new LinkedHashSet<>();
        for (final String line : metrics.lines().toList()) {
            if (line.startsWith("| `")) {
                final String firstCell = line.substring(1, line.indexOf('|', 1));
                names.addAll(matches(TABLE_NAME, firstCell));
            }
        }
        assertTrue(!names.isEmpty(), "no metric table under '## Metrics' in docs/OPERATIONS.md");
        return names;
    }

    private static Set<String> matches(final Pattern pattern, final String text) {
        final Set<String> found = new LinkedHashSet<>();
        final Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}

package io.ticker.loadgen.cli;

import io.ticker.loadgen.report.HtmlReport;
import io.ticker.loadgen.report.ResultsMerger;
import io.ticker.loadgen.report.ResultsWriter;
import io.ticker.loadgen.report.RunSummary;
import io.ticker.loadgen.report.SummaryTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code merge DIR...}: one histogram and one summary from runs made at the same time by generators on several
 * machines, written as a results folder of its own (the same four files as a run).
 */
@Command(name = "merge", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = "Merges results folders of runs made at the same time (one generator per machine) into one.",
    footerHeading = "%nExamples:%n",
    footer = {
        "  load-generator merge results/host-a results/host-b",
        "  load-generator merge --name two-hosts results/host-a results/host-b"})
public final class MergeCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Results folders to merge.")
    private List<Path> dirs = new ArrayList<>();

    @Option(names = "--out", defaultValue = RunCommand.OUT_DEFAULT,
        description = "Folder for the merged results folder.")
    private Path out;

    @Option(names = "--name", defaultValue = "merged", description = "Name of the merged run.")
    private String name;

    @Option(names = "--force", description = "Merge even runs whose recorded windows do not overlap (merge is for "
        + "runs made at the same time; summed rates of runs made one after another describe no moment).")
    private boolean force;

    @Override
    public Integer call() throws IOException {
        final List<RunSummary> runs = new ArrayList<>();
        final List<Histogram> intervals = new ArrayList<>();
        final List<String> sources = new ArrayList<>();
        for (final Path dir : dirs) {
            final Path summary = dir.resolve(ResultsWriter.SUMMARY);
            final Path hlog = dir.resolve(ResultsWriter.HLOG);
            if (!Files.isRegularFile(summary) || !Files.isRegularFile(hlog)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "DIR " + dir + " has no "
                    + ResultsWriter.SUMMARY + " and " + ResultsWriter.HLOG + "; give results folders of runs");
            }
            runs.add(RunSummary.read(summary));
            intervals.addAll(ResultsMerger.readIntervals(hlog));
            sources.add(dir.toString());
        }
        final String apart = ResultsMerger.windowsApart(runs, sources);
        if (apart != null && !force) {
            throw new CommandLine.ParameterException(spec.commandLine(), apart + "; merge is for runs made at the "
                + "same time by several generators (--force merges them anyway)");
        }
        final String command = "java -jar load-generator.jar "
            + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        final RunSummary merged = ResultsMerger.merge(runs, intervals, name, command.trim(), sources);
        final Instant started = Instant.now();
        final Path dir = ResultsWriter.createRunDirectory(out, name, started);
        final HistogramLogWriter log = ResultsWriter.openLatencyLog(dir, Instant.ofEpochMilli(
            intervals.isEmpty() ? started.toEpochMilli() : intervals.get(0).getStartTimeStamp()), null);
        for (final Histogram interval : intervals) {
            log.outputIntervalHistogram(interval);
        }
        log.close();
        final Histogram total = ResultsMerger.total(intervals);
        final List<HtmlReport.Run> pageRuns = new ArrayList<>();
        pageRuns.add(new HtmlReport.Run("merged", merged, total));
        for (int i = 0; i < runs.size(); i++) {
            pageRuns.add(new HtmlReport.Run("run " + (i + 1), runs.get(i),
                ResultsMerger.total(ResultsMerger.readIntervals(dirs.get(i).resolve(ResultsWriter.HLOG)))));
        }
        ResultsWriter.writeResults(dir, merged, total, HtmlReport.page("Merged: " + name, pageRuns,
            apart == null ? "" : "<div class=\"warn\">WARNING: --force: " + HtmlReport.escape(apart) + "</div>\n"));
        final PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(SummaryTable.render(merged, dir.toString()));
        stdout.flush();
        return 0;
    }
}

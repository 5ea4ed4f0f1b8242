package org.crmanalytics.jobs.runner;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.RunRefused;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.io.AtomicOutput;
import org.crmanalytics.jobs.io.LocalPaths;
import org.crmanalytics.jobs.io.OutputLayout;
import org.crmanalytics.jobs.io.RunManifest;
import org.crmanalytics.jobs.spark.SparkSessions;

/**
 * Runs stages for one as_of: checks the configuration of every stage before Spark starts, runs
 * them in dependency order, skips those whose inputs are absent, goes on past a stage that fails
 * or is withheld with the stages that do not require it, and always writes the run manifest. A
 * failed or partial run can be resumed from its manifest.
 */
public final class PipelineRunner {
  public static final String SUCCEEDED = "succeeded";
  public static final String PARTIAL = "partial";
  public static final String FAILED = "failed";

  private final Console console;
  private String lastStatus = FAILED;

  public PipelineRunner(Console console) {
    this.console = console;
  }

  public static String newRunId() {
    return LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"))
        + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }

  /** Runs {@code stages} with a session of its own. Returns the manifest path. */
  public String run(PipelineConfig config, List<PipelineStage> stages, String command, String master) {
    checkAll(config, stages);
    SparkSession spark = SparkSessions.create("crm-analytics " + command, master, config.spark());
    try {
      return run(spark, config, stages, command);
    } finally {
      spark.stop();
    }
  }

  /** Runs {@code stages} in an existing session (tests share one). */
  public String run(SparkSession spark, PipelineConfig config, List<PipelineStage> stages, String command) {
    checkAll(config, stages);
    return execute(spark, config, stages, command, null);
  }

  /**
   * Resumes run {@code runId} with a session of its own: runs the stages it planned that have not
   * succeeded. Reads the run's manifest and refuses a different as_of or configuration before
   * Spark starts. Returns the new manifest path, or empty when nothing was left to run.
   */
  public Optional<String> resume(PipelineConfig config, StageGraph graph, String runId, String master) {
    ResumePoint point = ResumePoint.of(config, graph, runId, new AtomicOutput(hadoopConfiguration(config)));
    if (nothingLeft(point)) {
      return Optional.empty();
    }
    checkAll(config, point.remaining());
    SparkSession spark = SparkSessions.create("crm-analytics run --resume " + runId, master, config.spark());
    try {
      return Optional.of(execute(spark, config, point.remaining(), "run --resume " + runId, point));
    } finally {
      spark.stop();
    }
  }

  /** {@link #resume(PipelineConfig, StageGraph, String, String)} in an existing session. */
  public Optional<String> resume(SparkSession spark, PipelineConfig config, StageGraph graph, String runId) {
    ResumePoint point = ResumePoint.of(config, graph, runId,
        new AtomicOutput(spark.sparkContext().hadoopConfiguration()));
    if (nothingLeft(point)) {
      return Optional.empty();
    }
    checkAll(config, point.remaining());
    return Optional.of(execute(spark, config, point.remaining(), "run --resume " + runId, point));
  }

  private boolean nothingLeft(ResumePoint point) {
    if (point.remaining().isEmpty()) {
      console.result("run " + point.runId() + ": every planned stage (" + String.join(", ", point.planned())
          + ") has succeeded; nothing to resume");
      return true;
    }
    if (point.status().equals("running")) {
      console.warn("run " + point.runId() + " never finished its manifest (killed, or still running): "
          + "if it is still running, stop it before resuming");
    }
    console.info("resuming run " + point.runId() + ": done earlier " + String.join(", ", point.completed().keySet())
        + "; to run " + String.join(", ", point.remaining().stream().map(PipelineStage::name).toList()));
    return false;
  }

  /** Hadoop settings without a session: the config's spark.hadoop.* keys (credentials of s3a:// and the like). */
  private static Configuration hadoopConfiguration(PipelineConfig config) {
    Configuration hadoop = new Configuration();
    config.spark().forEach((key, value) -> {
      if (key.startsWith("spark.hadoop.")) {
        hadoop.set(key.substring("spark.hadoop.".length()), value);
      }
    });
    return hadoop;
  }

  /** The configuration's checks and the preflight of every stage, and the output root: before Spark starts. */
  public static void checkAll(PipelineConfig config, List<PipelineStage> stages) {
    // A day of slack: a run scheduled just after midnight in a zone east of UTC.
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    if (config.asOf().isAfter(today.plusDays(1))) {
      throw new UserError("as_of " + config.asOf() + " lies in the future (today is " + today + "): nothing after "
          + "today is known yet. Give --as-of " + today + " or earlier, or leave it out (the default is today)");
    }
    for (PipelineStage s : stages) {
      s.check(config);
    }
    for (PipelineStage s : stages) {
      s.preflight(config);
    }
    LocalPaths.unwritable(config.output()).ifPresent(why -> {
      throw new UserError("output " + config.output() + " cannot be written: " + why
          + "; choose another folder (--out or 'output' in the config) or change its permissions");
    });
  }

  /**
   * Runs the stages in order and rewrites the manifest after each, so that a run killed midway
   * still says which stages completed. A stage whose inputs are absent, or that requires a stage
   * that did not succeed in this run, is skipped with the reason; a stage whose optional input did
   * not succeed runs without it (flagged). A stage that fails or is withheld ends only itself: the
   * run goes on with the stages that do not require it. The run's status is
   * {@value #SUCCEEDED}, {@value #PARTIAL} (a stage failed, was withheld or was skipped) or
   * {@value #FAILED} (a stage failed and none succeeded: then the first failure is rethrown).
   */
  private String execute(SparkSession spark, PipelineConfig config, List<PipelineStage> stages, String command,
      ResumePoint resumed) {
    String root = qualified(spark, config.output());
    OutputLayout layout = new OutputLayout(root, config.asOf(), newRunId());
    RunManifest manifest = new RunManifest(layout.runId(), command, config.source(), config.asOf().toString(), root);
    manifest.plan(resumed != null ? resumed.planned() : stages.stream().map(PipelineStage::name).toList(),
        ResumePoint.configSha256(config));
    if (resumed != null) {
      manifest.resumes(resumed.runId(), resumed.completed());
    }
    manifest.spark(spark.sparkContext().master(), spark.version(), spark.sparkContext().applicationId());
    RunContext ctx = new RunContext(spark, config, layout, manifest, console);
    AtomicOutput out = ctx.output();
    console.info("run " + layout.runId() + "  as_of " + config.asOf() + "  output " + root);
    long start = System.nanoTime();
    RuntimeException firstFailure = null;
    Throwable aborted = null;
    try {
      for (PipelineStage stage : stages) {
        Ran ran = runOne(stage, ctx);
        ctx.outcomes().put(stage.name(), ran.outcome());
        if (firstFailure == null) {
          firstFailure = ran.failure();
        }
        out.writeText(layout.manifest(), manifest.toJson());
        if (ran.failure() instanceof RunRefused refused) {
          throw refused;
        }
      }
      lastStatus = status(ctx.outcomes().values());
      if (lastStatus.equals(FAILED)) {
        throw firstFailure;
      }
      return layout.manifest();
    } catch (Throwable e) { // an Error, or the rethrown failure: the run ends here
      aborted = e;
      lastStatus = FAILED;
      throw e;
    } finally {
      manifest.finish(lastStatus, aborted == null ? null : String.valueOf(aborted.getMessage()), ctx.outputs());
      out.writeText(layout.manifest(), manifest.toJson());
      out.delete(layout.staging());
      out.deleteIfEmpty(layout.root() + "/_staging");
      summary(layout, ctx.outcomes().values(), ctx.outputs(), Duration.ofNanos(System.nanoTime() - start),
          aborted instanceof RunRefused);
    }
  }

  /** The run's status from its stages' outcomes (documented in docs/scheduling.md). */
  static String status(java.util.Collection<StageOutcome> outcomes) {
    boolean anySucceeded = outcomes.stream().anyMatch(StageOutcome::succeeded);
    boolean anyFailed = outcomes.stream().anyMatch(o -> o.status().equals(StageOutcome.FAILED));
    if (anyFailed && !anySucceeded) {
      return FAILED;
    }
    return outcomes.stream().allMatch(StageOutcome::succeeded) ? SUCCEEDED : PARTIAL;
  }

  /** How a stage ended, and its exception when it failed. */
  private record Ran(StageOutcome outcome, RuntimeException failure) {}

  /** The status of the last run or resume: {@value #SUCCEEDED}, {@value #PARTIAL} or {@value #FAILED}. */
  public String lastStatus() {
    return lastStatus;
  }

  /** Runs one stage, or skips it, and records how it ended in the manifest and on the console. */
  private Ran runOne(PipelineStage stage, RunContext ctx) {
    Optional<String> skip = skipReason(stage, ctx);
    if (skip.isPresent()) {
      ctx.manifest().skipped(stage.name(), skip.get());
      console.info(String.format(Locale.ROOT, "%-24s skipped: %s", stage.name(), skip.get()));
      return new Ran(new StageOutcome(stage.name(), StageOutcome.SKIPPED, skip.get(), List.of()), null);
    }
    List<String> without = new ArrayList<>();
    for (String need : stage.optionalNeeds()) {
      ctx.outcome(need).filter(o -> !o.succeeded()).ifPresent(o -> {
        without.add(need);
        ctx.flag(stage.name(), stage.name() + ".without_" + need, "runs without " + need + " (" + o.status() + ": "
            + o.reason() + "); what it reads from " + need + " stays empty");
      });
    }
    long t0 = System.nanoTime();
    String status = StageOutcome.FAILED;
    String reason = null;
    RuntimeException failure = null;
    try {
      stage.run(ctx);
      status = StageOutcome.SUCCEEDED;
    } catch (StageWithheld w) {
      status = StageOutcome.WITHHELD;
      reason = w.getMessage();
      console.warn(stage.name() + " withheld: " + reason);
    } catch (RunRefused e) { // the run's last line says it, once
      failure = e;
      reason = failureText(e);
    } catch (RuntimeException e) {
      failure = e;
      reason = failureText(e);
      console.warn(stage.name() + " failed: " + reason);
    } catch (Exception e) { // Spark throws checked exceptions undeclared
      failure = new IllegalStateException(e.getMessage(), e);
      reason = failureText(e);
      console.warn(stage.name() + " failed: " + reason);
    } finally {
      // An Error (out of memory) ends the run: it is recorded as this stage's failure first.
      ctx.manifest().stage(stage.name(), status, Duration.ofNanos(System.nanoTime() - t0), reason, without);
    }
    return new Ran(new StageOutcome(stage.name(), status, reason, List.copyOf(without)), failure);
  }

  private static String failureText(Exception e) {
    return org.crmanalytics.jobs.base.FailureText.of(e);
  }

  /**
   * The end of the run on the console, also under {@code --quiet}: the status, the files a person
   * opens (reports, exports), then each stage that did not deliver everything with the reason, and
   * how to finish the run; after a {@link RunRefused}, whose message the CLI prints, only the status.
   */
  private void summary(OutputLayout layout, java.util.Collection<StageOutcome> outcomes, List<String> outputs,
      Duration total, boolean refused) {
    List<String> done = outcomes.stream().filter(StageOutcome::succeeded).map(StageOutcome::stage).toList();
    console.result("run " + layout.runId() + " " + lastStatus + " after " + Console.format(total)
        + (done.isEmpty() ? "" : "; succeeded " + String.join(", ", done)) + "; manifest " + layout.manifest());
    outputs.stream().filter(p -> p.contains("/reports/") || p.contains("/exports/"))
        .forEach(p -> console.result("  wrote " + p));
    if (refused) {
      return;
    }
    boolean unfinished = false;
    for (StageOutcome o : outcomes) {
      if (!o.succeeded()) {
        console.result(String.format(Locale.ROOT, "  %-12s %s: %s", o.stage(), o.status(), o.reason()));
        unfinished = true;
      } else if (!o.without().isEmpty()) {
        console.result(String.format(Locale.ROOT, "  %-12s ran without %s", o.stage(), String.join(", ", o.without())));
        unfinished = true;
      }
    }
    if (unfinished || lastStatus.equals(FAILED)) {
      console.result("to finish it after fixing the cause: bin/crm-analytics run --resume " + layout.runId()
          + " (with the same --config, --out and --as-of)");
    }
  }

  private static Optional<String> skipReason(PipelineStage stage, RunContext ctx) {
    for (String need : stage.needs()) {
      if (stage.optionalNeeds().contains(need)) {
        continue;
      }
      Optional<StageOutcome> o = ctx.outcome(need).filter(x -> !x.succeeded());
      if (o.isPresent()) {
        return Optional.of("needs " + need + ", which " + (o.get().status().equals(StageOutcome.SKIPPED)
            ? "was skipped" : o.get().status().equals(StageOutcome.WITHHELD) ? "was withheld" : "failed"));
      }
    }
    return stage.missingInputs(ctx);
  }

  /** An absolute URI for local paths, unchanged for hdfs://, s3a:// and the like. */
  private static String qualified(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package org.crmanalytics.jobs.runner;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.cli.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.AtomicOutput;
import org.crmanalytics.jobs.io.OutputLayout;
import org.crmanalytics.jobs.io.RunManifest;
import org.crmanalytics.jobs.spark.SparkSessions;

/**
 * Runs stages for one as_of: checks the configuration of every stage before Spark starts, runs
 * them in dependency order, skips those whose inputs are absent, and always writes the run
 * manifest, also when a stage fails. A failed run can be resumed from its manifest.
 */
public final class PipelineRunner {
  private final Console console;

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

  private static void checkAll(PipelineConfig config, List<PipelineStage> stages) {
    for (PipelineStage s : stages) {
      s.check(config);
    }
  }

  /**
   * Runs the stages in order and rewrites the manifest after each, so that a run killed midway
   * still says which stages completed. A stage whose inputs are absent, or that needs a stage
   * skipped in this run, is skipped with the reason; the first failure ends the run.
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
    String failure = null;
    Set<String> skipped = new LinkedHashSet<>();
    try {
      for (PipelineStage stage : stages) {
        Optional<String> skip = skipReason(stage, skipped, ctx);
        if (skip.isPresent()) {
          skipped.add(stage.name());
          manifest.skipped(stage.name(), skip.get());
          console.info(String.format(Locale.ROOT, "%-24s skipped: %s", stage.name(), skip.get()));
        } else {
          long t0 = System.nanoTime();
          String status = "failed";
          try {
            stage.run(ctx);
            status = "succeeded";
          } finally {
            manifest.stage(stage.name(), status, Duration.ofNanos(System.nanoTime() - t0), Map.of());
          }
        }
        out.writeText(layout.manifest(), manifest.toJson());
      }
      return layout.manifest();
    } catch (Throwable e) { // Spark throws checked exceptions undeclared: catch all, record, rethrow
      failure = String.valueOf(e.getMessage());
      throw e;
    } finally {
      manifest.finish(failure == null ? "succeeded" : "failed", failure, ctx.outputs());
      out.writeText(layout.manifest(), manifest.toJson());
      out.delete(layout.staging());
      out.deleteIfEmpty(layout.root() + "/_staging");
      Duration total = Duration.ofNanos(System.nanoTime() - start);
      console.info((failure == null ? "done in " : "failed after ") + Console.format(total)
          + (skipped.isEmpty() ? "" : "; skipped " + String.join(", ", skipped))
          + "; manifest " + layout.manifest()
          + (failure == null ? "" : "; after fixing the cause: bin/crm-analytics run --resume " + layout.runId()
              + " (with the same --config, --out and --as-of)"));
    }
  }

  private static Optional<String> skipReason(PipelineStage stage, Set<String> skipped, RunContext ctx) {
    for (String need : stage.needs()) {
      if (skipped.contains(need)) {
        return Optional.of("needs " + need + ", which was skipped");
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

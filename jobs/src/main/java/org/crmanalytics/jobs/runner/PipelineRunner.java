package org.crmanalytics.jobs.runner;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.cli.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.AtomicOutput;
import org.crmanalytics.jobs.io.OutputLayout;
import org.crmanalytics.jobs.io.RunManifest;
import org.crmanalytics.jobs.spark.SparkSessions;

/**
 * Runs stages for one as_of: checks the configuration of every stage before Spark starts, runs
 * them in dependency order, and always writes the run manifest, also when a stage fails.
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
    for (PipelineStage s : stages) {
      s.check(config);
    }
    SparkSession spark = SparkSessions.create("crm-analytics " + command, master, config.spark());
    try {
      return run(spark, config, stages, command);
    } finally {
      spark.stop();
    }
  }

  /** Runs {@code stages} in an existing session (tests share one). */
  public String run(SparkSession spark, PipelineConfig config, List<PipelineStage> stages, String command) {
    for (PipelineStage s : stages) {
      s.check(config);
    }
    String root = qualified(spark, config.output());
    OutputLayout layout = new OutputLayout(root, config.asOf(), newRunId());
    RunManifest manifest = new RunManifest(layout.runId(), command, config.source(), config.asOf().toString(), root);
    manifest.spark(spark.sparkContext().master(), spark.version(), spark.sparkContext().applicationId());
    RunContext ctx = new RunContext(spark, config, layout, manifest, console);
    console.info("run " + layout.runId() + "  as_of " + config.asOf() + "  output " + root);
    long start = System.nanoTime();
    String failure = null;
    try {
      for (PipelineStage stage : stages) {
        long t0 = System.nanoTime();
        String status = "failed";
        try {
          stage.run(ctx);
          status = "succeeded";
        } finally {
          manifest.stage(stage.name(), status, Duration.ofNanos(System.nanoTime() - t0), Map.of());
        }
      }
      return layout.manifest();
    } catch (Throwable e) { // Spark throws checked exceptions undeclared: catch all, record, rethrow
      failure = String.valueOf(e.getMessage());
      throw e;
    } finally {
      manifest.finish(failure == null ? "succeeded" : "failed", failure, ctx.outputs());
      AtomicOutput out = ctx.output();
      out.writeText(layout.manifest(), manifest.toJson());
      out.delete(layout.staging());
      out.deleteIfEmpty(layout.root() + "/_staging");
      Duration total = Duration.ofNanos(System.nanoTime() - start);
      console.info((failure == null ? "done in " : "failed after ") + Console.format(total)
          + "; manifest " + layout.manifest());
    }
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

package org.crmanalytics.jobs.runner;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.cli.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.AtomicOutput;
import org.crmanalytics.jobs.io.OutputLayout;
import org.crmanalytics.jobs.io.RunManifest;

/** What a stage gets: the session, the validated config, where to write, and the run's record. */
public record RunContext(
    SparkSession spark,
    PipelineConfig config,
    OutputLayout layout,
    AtomicOutput output,
    RunManifest manifest,
    Console console,
    List<String> outputs) {

  public RunContext(SparkSession spark, PipelineConfig config, OutputLayout layout, RunManifest manifest,
      Console console) {
    this(spark, config, layout, new AtomicOutput(spark.sparkContext().hadoopConfiguration()), manifest,
        console, new ArrayList<>());
  }

  public String runId() {
    return layout.runId();
  }

  /** Records a committed output for the manifest. */
  public synchronized void committed(String path) {
    outputs.add(path);
  }
}

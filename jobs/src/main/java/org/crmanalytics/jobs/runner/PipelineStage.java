package org.crmanalytics.jobs.runner;

import java.util.List;
import org.crmanalytics.jobs.config.PipelineConfig;

/**
 * A step of the pipeline. It reads only what earlier stages wrote for the same as_of, writes only
 * its own outputs, atomically, and gives the same result when run again for the same date.
 */
public interface PipelineStage {
  String name();

  /** Stages whose outputs this one reads. */
  List<String> needs();

  /** What it writes, relative to the output root (for `plan`). */
  List<String> produces(PipelineConfig config);

  /** Checks the configuration for this stage without Spark; throws a UserError. */
  default void check(PipelineConfig config) {}

  void run(RunContext context);
}

package org.crmanalytics.jobs.runner;

import java.util.List;
import java.util.Optional;
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

  /**
   * Why the stage cannot run now, when an input it cannot do without is absent (a required silver
   * table, an upstream output); empty when it can run. The runner then records the stage as
   * skipped with this reason instead of running it, and skips the stages that need it.
   */
  default Optional<String> missingInputs(RunContext context) {
    return Optional.empty();
  }

  void run(RunContext context);
}

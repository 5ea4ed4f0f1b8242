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

  /** Stages whose outputs this one reads; it runs after them. */
  List<String> needs();

  /**
   * The needs this stage can do without: when one of them fails, is withheld or is skipped in the
   * run, this stage still runs, and what it would have read from it stays empty (null columns, a
   * section that says it is absent); the runner flags that. A need not listed here is required:
   * when it does not succeed, this stage is skipped.
   */
  default List<String> optionalNeeds() {
    return List.of();
  }

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

  /**
   * Runs the stage. Throws {@link StageWithheld} when it ran but publishes nothing on purpose;
   * any other exception is a failure of this stage only: the runner goes on with the stages that
   * do not require it.
   */
  void run(RunContext context);
}

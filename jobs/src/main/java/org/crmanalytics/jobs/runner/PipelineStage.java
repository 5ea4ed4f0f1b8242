package org.crmanalytics.jobs.runner;

import java.util.List;
import java.util.Optional;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.Output;

/**
 * A step of the pipeline. It reads only what earlier stages wrote for the same as_of, writes only
 * its own outputs, atomically, and gives the same result when run again for the same date.
 */
public interface PipelineStage {
  String name();

  /**
   * The earlier stages' outputs this one reads. Its needs derive from them: it runs after their
   * producers; an optional input lets it run without that producer (what it would have read stays
   * empty, and it says so), a required one skips it when the producer does not succeed.
   */
  default List<Input> reads() {
    return List.of();
  }

  /** The stages whose outputs it reads, in the order of {@link #reads()}. */
  default List<String> needs() {
    return reads().stream().map(i -> i.output().producer()).distinct().toList();
  }

  /** The needs it can do without: every input it reads from them is optional. */
  default List<String> optionalNeeds() {
    return needs().stream()
        .filter(n -> reads().stream().filter(i -> i.output().producer().equals(n)).allMatch(Input::optional))
        .toList();
  }

  /** What it writes, relative to the output root (for `plan`): its entries of the output catalogue. */
  default List<String> produces(PipelineConfig config) {
    return Output.producedBy(name()).stream().map(o -> o.at(config.asOf())).toList();
  }

  /**
   * The sections of the configuration file this stage owns; the loader binds each into its
   * settings record before Spark starts, and the stage reads it with {@code config.settings(type)}.
   * Several stages may read one record; only one stage owns its section.
   */
  default List<ConfigSection<?>> sections() {
    return List.of();
  }

  /**
   * Checks what the bound settings cannot check alone (their fit with the run's date), without
   * Spark; throws a UserError.
   */
  default void check(PipelineConfig config) {}

  /**
   * Checks what lies outside the configuration and needs no Spark (that its local source files
   * exist), before Spark starts and in {@code plan}; not when only the plan's shape is printed
   * ({@code plan --json}, {@code --airflow}), which may be made where the data is not. Throws a UserError.
   */
  default void preflight(PipelineConfig config) {}

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

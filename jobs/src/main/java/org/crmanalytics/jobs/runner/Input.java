package org.crmanalytics.jobs.runner;

import org.crmanalytics.jobs.io.Output;

/**
 * An output of an earlier stage that a stage reads. The stage graph derives the stage's needs from
 * these: the producer of each input, and whether the stage can run without it ({@code optional}:
 * what it would have read stays empty, and it says so).
 */
public record Input(Output output, boolean optional) {
  public static Input required(Output output) {
    return new Input(output, false);
  }

  public static Input optional(Output output) {
    return new Input(output, true);
  }
}

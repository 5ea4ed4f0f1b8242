package org.crmanalytics.models.evaluation;

/** The quality grade of a model against its naive baselines; rules in {@link EvaluationReport#grade()}. */
public enum Grade {
  A,
  B,
  C
}

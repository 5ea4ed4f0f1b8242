package org.crmanalytics.models.evaluation;

/**
 * A naive baseline: a column of the evaluation data that scores customers without a trained model
 * (e.g. days since the last order as a {@link ScoreKind#RANKING}, or the base rate as a constant
 * {@link ScoreKind#PROBABILITY}).
 */
public record BaselineScore(String column, ScoreKind kind) {}

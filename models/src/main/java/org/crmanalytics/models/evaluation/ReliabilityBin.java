package org.crmanalytics.models.evaluation;

/**
 * One equal-width bin of predicted probabilities, {@code [low, high)} (the last bin includes 1).
 *
 * @param meanPredicted mean predicted probability of the rows in the bin; NaN when the bin is empty
 * @param observed share of churned rows in the bin; NaN when the bin is empty
 */
public record ReliabilityBin(double low, double high, long count, double meanPredicted, double observed) {}

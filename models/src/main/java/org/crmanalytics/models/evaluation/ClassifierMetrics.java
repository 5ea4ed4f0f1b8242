package org.crmanalytics.models.evaluation;

import java.util.List;

/**
 * How well one score separates churned (label 1) from retained (label 0) customers; see
 * docs/model-evaluation.md for the definitions. Calibration metrics are NaN for a
 * {@link ScoreKind#RANKING} score.
 *
 * @param rows rows evaluated
 * @param baseRate share of label 1
 * @param rocAuc area under the ROC curve, ties counted half
 * @param prAuc average precision (step-wise area under the precision-recall curve, no interpolation)
 * @param liftTop10 churn rate in the top 10 % by score divided by the base rate
 * @param captureTop10 share of all churners that are in the top 10 % by score
 * @param brier mean squared difference between probability and label
 * @param logLoss mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15]
 * @param ece expected calibration error over the reliability table
 * @param reliability ten equal-width bins over [0, 1]; empty for a ranking score
 */
public record ClassifierMetrics(long rows, double baseRate, double rocAuc, double prAuc, double liftTop10,
    double captureTop10, double liftTop20, double captureTop20, double brier, double logLoss, double ece,
    List<ReliabilityBin> reliability) {
  public ClassifierMetrics {
    reliability = List.copyOf(reliability);
  }
}

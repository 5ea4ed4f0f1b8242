package org.crmanalytics.models.churn;

import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.evaluation.PromotionRule;

/**
 * The churn model's settings: the churn definition, the training snapshots, the models'
 * hyper-parameters, the promotion rule, the risk bands and the segment that says what is typical.
 * docs/churn.md lists the configuration keys with their defaults.
 *
 * @param snapshots labelled training snapshots
 * @param stepMonths months between two snapshots
 * @param minHistoryMonths months of orders a snapshot needs before it
 * @param highBand the probability from which a customer is at high risk
 * @param mediumBand the probability from which a customer is at medium risk
 * @param segmentBy the customers column whose groups say what is typical ("none": all customers)
 */
public record ChurnSettings(
    ChurnDefinition definition,
    int snapshots,
    int stepMonths,
    int minHistoryMonths,
    ClassifierTrainer.Settings trainer,
    PromotionRule promotion,
    double highBand,
    double mediumBand,
    String segmentBy) {

  /** high, medium or low. */
  public String band(double probability) {
    return probability >= highBand ? "high" : probability >= mediumBand ? "medium" : "low";
  }
}

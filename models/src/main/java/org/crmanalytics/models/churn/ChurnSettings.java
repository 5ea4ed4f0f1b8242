package org.crmanalytics.models.churn;

import java.util.List;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.evaluation.PromotionRule;
import org.crmanalytics.models.explain.ReasonRules;

/**
 * The churn model's settings: the churn definition, the training snapshots, the models'
 * hyper-parameters, the promotion rule, the risk bands and the peer groups that say what is typical.
 * docs/churn.md lists the configuration keys with their defaults.
 *
 * @param snapshots labelled training snapshots
 * @param stepMonths months between two snapshots
 * @param minHistoryMonths months of orders a snapshot needs before it
 * @param highBand the probability from which a customer is at high risk
 * @param mediumBand the probability from which a customer is at medium risk
 * @param peerGroups the customers columns whose groups say what is typical, finest first; all
 *     customers after them (empty: all customers only)
 * @param reasons when a feature makes a reason (peer-group size, clear difference)
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
    List<String> peerGroups,
    ReasonRules reasons) {

  public ChurnSettings {
    peerGroups = List.copyOf(peerGroups);
  }

  /** high, medium or low. */
  public String band(double probability) {
    return probability >= highBand ? "high" : probability >= mediumBand ? "medium" : "low";
  }
}

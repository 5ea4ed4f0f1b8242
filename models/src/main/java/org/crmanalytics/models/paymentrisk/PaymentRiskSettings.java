package org.crmanalytics.models.paymentrisk;

import java.util.List;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.classify.LabelWindow;
import org.crmanalytics.models.evaluation.PromotionRule;
import org.crmanalytics.models.explain.ReasonRules;
import org.crmanalytics.models.payments.PaymentDefaultDefinition;
import org.crmanalytics.models.payments.ReceivablesSettings;

/**
 * The payment-default model's settings ({@code payment_risk:}, docs/payment-risk.md): what a
 * default is, how the receivables are read, the training snapshots, the hyper-parameters, the
 * promotion rule, the risk bands, the action rules (none by default) and when a feature makes a
 * reason.
 */
public record PaymentRiskSettings(
    PaymentDefaultDefinition definition,
    ReceivablesSettings receivables,
    int snapshots,
    int stepMonths,
    int minHistoryMonths,
    ClassifierTrainer.Settings trainer,
    PromotionRule promotion,
    double highBand,
    double mediumBand,
    List<ActionRule> actions,
    ReasonRules reasons) {
  public static final String HIGH = "high";
  public static final String MEDIUM = "medium";
  public static final String LOW = "low";

  public PaymentRiskSettings {
    actions = List.copyOf(actions);
  }

  /** The label window (D, D + horizon] for the time split. */
  public LabelWindow window() {
    return LabelWindow.months(definition.horizonMonths());
  }
}

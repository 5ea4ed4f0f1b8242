package org.crmanalytics.jobs.paymentrisk;

import static org.crmanalytics.jobs.classify.ClassifierConfig.doubleIn;
import static org.crmanalytics.jobs.classify.ClassifierConfig.intIn;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmanalytics.jobs.classify.ClassifierConfig;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.payments.PaymentDefaultDefinition;
import org.crmanalytics.models.payments.ReceivablesSettings;
import org.crmanalytics.models.paymentrisk.ActionRule;
import org.crmanalytics.models.paymentrisk.PaymentRiskSettings;

/**
 * Binds the {@code payment_risk:} section into {@link PaymentRiskSettings}. Every key is optional;
 * docs/payment-risk.md lists them with their defaults.
 */
public final class PaymentRiskConfig {
  public static final Set<String> KEYS = Set.of("default", "receivables", "training", "promotion", "bands", "actions",
      "reasons");
  public static final Set<String> DEFAULT_KEYS = Set.of("horizon_months", "days_past_due", "min_open_amount");
  public static final Set<String> RECEIVABLES_KEYS = Set.of("skonto_days", "complaint_categories");
  public static final Set<String> ACTION_KEYS = Set.of("min_probability", "min_exposure");

  public static final ConfigSection<PaymentRiskSettings> SECTION =
      new ConfigSection<>("payment_risk", PaymentRiskSettings.class, (section, context) -> parse(section));

  private PaymentRiskConfig() {}

  static PaymentRiskSettings parse(ConfigNode section) {
    section.allowOnly(KEYS);
    ConfigNode def = section.child("default").allowOnly(DEFAULT_KEYS);
    PaymentDefaultDefinition dd = PaymentDefaultDefinition.DEFAULT;
    PaymentDefaultDefinition definition = new PaymentDefaultDefinition(
        intIn(def.child("horizon_months"), dd.horizonMonths(), 1, 36),
        intIn(def.child("days_past_due"), dd.daysPastDue(), 1, 3650),
        BigDecimal.valueOf(doubleIn(def.child("min_open_amount"), dd.minOpenAmount().doubleValue(), 0, 1e12)));
    ConfigNode rec = section.child("receivables").allowOnly(RECEIVABLES_KEYS);
    ReceivablesSettings rd = ReceivablesSettings.DEFAULT;
    ReceivablesSettings receivables = new ReceivablesSettings(intIn(rec.child("skonto_days"), rd.skontoDays(), 0, 365),
        rec.child("complaint_categories").stringList(rd.complaintCategories()));
    ConfigNode t = section.child("training");
    ClassifierTrainer.Settings trainer = ClassifierConfig.trainer(t);
    ClassifierConfig.Snapshots snapshots = ClassifierConfig.snapshots(t, new ClassifierConfig.Snapshots(4, 3, 6));
    ClassifierConfig.Bands bands = ClassifierConfig.bands(section.child("bands"), new ClassifierConfig.Bands(0.3, 0.1));
    return new PaymentRiskSettings(definition, receivables, snapshots.count(), snapshots.stepMonths(),
        snapshots.minHistoryMonths(), trainer, ClassifierConfig.promotion(section.child("promotion"), trainer.seed()),
        bands.high(), bands.medium(), actions(section.child("actions")),
        ClassifierConfig.reasonRules(section.child("reasons")));
  }

  /** {@code actions:} one entry per action, in the order they are tried: {@code credit_hold: {min_probability, min_exposure}}. */
  private static List<ActionRule> actions(ConfigNode node) {
    List<ActionRule> rules = new ArrayList<>();
    for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
      ConfigNode rule = e.getValue();
      if (!ActionRule.ACTIONS.contains(e.getKey())) {
        throw rule.error("unknown action; actions are " + String.join(", ", new java.util.TreeSet<>(ActionRule.ACTIONS)));
      }
      rule.allowOnly(ACTION_KEYS);
      if (!rule.has("min_probability")) {
        throw rule.error("needs min_probability (0 to 1): the default probability from which the action applies");
      }
      rules.add(new ActionRule(e.getKey(), doubleIn(rule.child("min_probability"), 0, 0, 1),
          BigDecimal.valueOf(doubleIn(rule.child("min_exposure"), 0, 0, 1e12))));
    }
    return rules;
  }
}

package org.crmanalytics.jobs.classify;

import java.util.Set;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.evaluation.PromotionRule;
import org.crmanalytics.models.explain.ReasonRules;

/**
 * The keys every risk model's section shares (churn, payment_risk): {@code training} (snapshots and
 * hyper-parameters), {@code promotion} and {@code bands}; docs/churn.md lists them with their defaults.
 */
public final class ClassifierConfig {
  public static final Set<String> TRAINING_KEYS = Set.of("snapshots", "step_months", "min_history_months",
      "gbt_max_iter", "gbt_max_depth", "gbt_step_size", "logistic_reg_param", "seed");
  public static final Set<String> PROMOTION_KEYS = Set.of("min_test_rows", "min_positives", "min_negatives",
      "bootstrap_resamples", "confidence", "top_share", "lift_tolerance");
  public static final Set<String> REASON_KEYS = Set.of("min_peers", "min_relative_difference",
      "min_percent_points", "min_days");
  public static final Set<String> BAND_KEYS = Set.of("high", "medium");

  private ClassifierConfig() {}

  /** The training snapshots: how many, months apart, months of history before the first. */
  public record Snapshots(int count, int stepMonths, int minHistoryMonths) {}

  /** Risk bands: from {@code high} a customer is at high risk, from {@code medium} at medium risk. */
  public record Bands(double high, double medium) {}

  public static ClassifierTrainer.Settings trainer(ConfigNode training) {
    training.allowOnly(TRAINING_KEYS);
    ClassifierTrainer.Settings td = ClassifierTrainer.Settings.DEFAULTS;
    return new ClassifierTrainer.Settings(
        intIn(training.child("gbt_max_iter"), td.gbtMaxIter(), 1, 1000),
        intIn(training.child("gbt_max_depth"), td.gbtMaxDepth(), 1, 12),
        doubleIn(training.child("gbt_step_size"), td.gbtStepSize(), 0.001, 1),
        doubleIn(training.child("logistic_reg_param"), td.lrRegParam(), 0, 100),
        training.child("seed").optLong().orElse(td.seed()));
  }

  public static Snapshots snapshots(ConfigNode training, Snapshots defaults) {
    training.allowOnly(TRAINING_KEYS);
    return new Snapshots(intIn(training.child("snapshots"), defaults.count(), 1, 60),
        intIn(training.child("step_months"), defaults.stepMonths(), 1, 24),
        intIn(training.child("min_history_months"), defaults.minHistoryMonths(), 0, 120));
  }

  /** The bootstrap shares the training seed: one seed makes a whole training run reproducible. */
  public static PromotionRule promotion(ConfigNode promotion, long seed) {
    promotion.allowOnly(PROMOTION_KEYS);
    PromotionRule pd = PromotionRule.DEFAULT;
    return new PromotionRule(
        intIn(promotion.child("min_test_rows"), pd.minRows(), 1, 10_000_000),
        intIn(promotion.child("min_positives"), pd.minPositives(), 1, 10_000_000),
        intIn(promotion.child("min_negatives"), pd.minNegatives(), 1, 10_000_000),
        intIn(promotion.child("bootstrap_resamples"), pd.bootstrapResamples(), 0, 100_000),
        doubleIn(promotion.child("confidence"), pd.confidence(), 0.5, 0.999),
        seed,
        doubleIn(promotion.child("top_share"), pd.topShare(), 0.01, 1),
        doubleIn(promotion.child("lift_tolerance"), pd.liftTolerance(), 0, 10));
  }

  public static Bands bands(ConfigNode bands, Bands defaults) {
    bands.allowOnly(BAND_KEYS);
    double high = doubleIn(bands.child("high"), defaults.high(), 0.0001, 1);
    double medium = doubleIn(bands.child("medium"), defaults.medium(), 0.0001, 1);
    if (medium >= high) {
      throw bands.child("medium").error("must be below " + bands.path() + ".high (" + high + "), found " + medium);
    }
    return new Bands(high, medium);
  }

  /**
   * The {@code reasons:} section of a risk model: when a feature is worth a reason (docs/explanations.md).
   * Every key is optional.
   */
  public static ReasonRules reasonRules(ConfigNode reasons) {
    reasons.allowOnly(REASON_KEYS);
    ReasonRules d = ReasonRules.DEFAULT;
    return new ReasonRules(intIn(reasons.child("min_peers"), d.minPeers(), 2, 1_000_000),
        doubleIn(reasons.child("min_relative_difference"), d.minRelativeDifference(), 0, 1),
        doubleIn(reasons.child("min_percent_points"), d.minPercentPoints() * 100, 0, 100) / 100,
        d.minCount(), intIn(reasons.child("min_days"), (int) d.minDays(), 0, 3650));
  }

  public static int intIn(ConfigNode node, int defaultValue, int min, int max) {
    long v = node.optLong().orElse((long) defaultValue);
    if (v < min || v > max) {
      throw node.error("must be " + min + " to " + max + ", found " + v);
    }
    return (int) v;
  }

  public static double doubleIn(ConfigNode node, double defaultValue, double min, double max) {
    double v = node.optDouble().orElse(defaultValue);
    if (!(v >= min && v <= max)) {
      throw node.error("must be a number from " + min + " to " + max + ", found " + v);
    }
    return v;
  }
}

package org.crmanalytics.jobs.churn;

import java.util.Locale;
import java.util.Set;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.models.churn.ChurnDefinition;
import org.crmanalytics.models.churn.ChurnSettings;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.evaluation.PromotionRule;

/**
 * Binds the {@code churn:} section into {@link ChurnSettings}. Every key is optional; docs/churn.md
 * lists them with their defaults.
 */
public final class ChurnConfig {
  public static final Set<String> KEYS = Set.of("active_months", "horizon_months", "training", "promotion", "bands",
      "segment_by");
  public static final Set<String> TRAINING_KEYS = Set.of("snapshots", "step_months", "min_history_months",
      "gbt_max_iter", "gbt_max_depth", "gbt_step_size", "logistic_reg_param", "seed");
  public static final Set<String> PROMOTION_KEYS = Set.of("min_test_rows", "min_positives", "min_negatives",
      "bootstrap_resamples", "confidence");
  public static final Set<String> BAND_KEYS = Set.of("high", "medium");
  /** Customer columns of the snapshot that can define "typical". */
  public static final Set<String> SEGMENTS = Set.of("industry", "region", "segment", "channel", "none");

  public static final ConfigSection<ChurnSettings> SECTION =
      new ConfigSection<>("churn", ChurnSettings.class, (section, context) -> parse(section));

  private ChurnConfig() {}

  static ChurnSettings parse(ConfigNode section) {
    section.allowOnly(KEYS);
    ChurnDefinition d = ChurnDefinition.DEFAULT;
    int active = intIn(section.child("active_months"), d.activeMonths(), 1, 120);
    int horizon = intIn(section.child("horizon_months"), d.horizonMonths(), 1, 60);
    ConfigNode t = section.child("training").allowOnly(TRAINING_KEYS);
    ClassifierTrainer.Settings td = ClassifierTrainer.Settings.DEFAULTS;
    ClassifierTrainer.Settings trainer = new ClassifierTrainer.Settings(
        intIn(t.child("gbt_max_iter"), td.gbtMaxIter(), 1, 1000),
        intIn(t.child("gbt_max_depth"), td.gbtMaxDepth(), 1, 12),
        doubleIn(t.child("gbt_step_size"), td.gbtStepSize(), 0.001, 1),
        doubleIn(t.child("logistic_reg_param"), td.lrRegParam(), 0, 100),
        t.child("seed").optLong().orElse(td.seed()));
    ConfigNode p = section.child("promotion").allowOnly(PROMOTION_KEYS);
    PromotionRule pd = PromotionRule.DEFAULT;
    // The bootstrap shares the training seed: one seed makes a whole training run reproducible.
    PromotionRule promotion = new PromotionRule(
        intIn(p.child("min_test_rows"), pd.minRows(), 1, 10_000_000),
        intIn(p.child("min_positives"), pd.minPositives(), 1, 10_000_000),
        intIn(p.child("min_negatives"), pd.minNegatives(), 1, 10_000_000),
        intIn(p.child("bootstrap_resamples"), pd.bootstrapResamples(), 0, 100_000),
        doubleIn(p.child("confidence"), pd.confidence(), 0.5, 0.999),
        trainer.seed());
    ConfigNode b = section.child("bands").allowOnly(BAND_KEYS);
    double high = doubleIn(b.child("high"), 0.5, 0.0001, 1);
    double medium = doubleIn(b.child("medium"), 0.2, 0.0001, 1);
    if (medium >= high) {
      throw b.child("medium").error("must be below churn.bands.high (" + high + "), found " + medium);
    }
    ConfigNode seg = section.child("segment_by");
    String segmentBy = seg.optString().map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse("industry");
    if (!SEGMENTS.contains(segmentBy)) {
      throw seg.error("must be one of " + String.join(", ", new java.util.TreeSet<>(SEGMENTS)) + "; found '"
          + segmentBy + "'");
    }
    return new ChurnSettings(new ChurnDefinition(active, horizon),
        intIn(t.child("snapshots"), 4, 1, 60), intIn(t.child("step_months"), 3, 1, 24),
        intIn(t.child("min_history_months"), 3, 0, 120), trainer, promotion, high, medium, segmentBy);
  }

  private static int intIn(ConfigNode node, int defaultValue, int min, int max) {
    long v = node.optLong().orElse((long) defaultValue);
    if (v < min || v > max) {
      throw node.error("must be " + min + " to " + max + ", found " + v);
    }
    return (int) v;
  }

  private static double doubleIn(ConfigNode node, double defaultValue, double min, double max) {
    double v = node.optDouble().orElse(defaultValue);
    if (!(v >= min && v <= max)) {
      throw node.error("must be a number from " + min + " to " + max + ", found " + v);
    }
    return v;
  }
}

package org.crmanalytics.models.evaluation;

/**
 * When a model may be used: enough test rows of both classes to judge it, better than chance and
 * than the base rate, better than every naive baseline, and still better when the sampling error
 * of the test set is taken into account (the lower end of the bootstrap interval of the
 * difference model − best baseline above 0, for ROC AUC and for PR AUC), and at the top of the list,
 * where sales acts, not worse than the best baseline (lift). docs/model-evaluation.md explains each
 * condition.
 *
 * @param minRows test rows needed to judge a model at all
 * @param minPositives churned test rows needed
 * @param minNegatives retained test rows needed
 * @param bootstrapResamples resamples of the paired bootstrap; 0 leaves the sampling-error check out
 * @param confidence two-sided confidence of the bootstrap interval (0.95: its lower end is the 2.5th percentile)
 * @param seed seed of the resampling: the same test set and seed give the same decision
 * @param topShare the share of the list, from the top, whose lift is compared (0.10: the top 10 %)
 * @param liftTolerance how far the model's lift in the top share may fall below the best baseline's
 */
public record PromotionRule(int minRows, int minPositives, int minNegatives, int bootstrapResamples,
    double confidence, long seed, double topShare, double liftTolerance) {
  public static final double DEFAULT_TOP_SHARE = 0.10;
  public static final double DEFAULT_LIFT_TOLERANCE = 0.05;
  public static final PromotionRule DEFAULT = new PromotionRule(100, 20, 20, 1000, 0.95, 42L);

  public PromotionRule {
    if (minRows < 1 || minPositives < 1 || minNegatives < 1 || bootstrapResamples < 0
        || !(confidence > 0 && confidence < 1) || !(topShare > 0 && topShare <= 1) || !(liftTolerance >= 0)) {
      throw new IllegalArgumentException("invalid promotion rule " + this);
    }
  }

  /** With the default top share and lift tolerance. */
  public PromotionRule(int minRows, int minPositives, int minNegatives, int bootstrapResamples, double confidence,
      long seed) {
    this(minRows, minPositives, minNegatives, bootstrapResamples, confidence, seed, DEFAULT_TOP_SHARE,
        DEFAULT_LIFT_TOLERANCE);
  }
}

package org.crmanalytics.models.explain;

import java.io.Serializable;
import org.crmanalytics.models.explain.FeatureLabels.Better;

/**
 * When a feature with a contribution is worth showing as a reason: the customer's value must differ
 * clearly from the typical value of a peer group large enough to mean something, and lie on the side
 * its contribution points to. docs/explanations.md explains the rules and their defaults.
 *
 * @param minPeers customers a peer group needs before its median counts as "typical" (at least 2)
 * @param minRelativeDifference counts, days, money and plain numbers: the difference must be at least
 *     this share of the larger of the two values (0.25: 6 vs. 8 orders is not clear, 6 vs. 4 is)
 * @param minPercentPoints percentages: the difference must be at least this many percentage points,
 *     as a fraction (0.10 = 10 points), since a relative rule makes 2 % vs. 3 % look large
 * @param minCount counts: at least this absolute difference (one order)
 * @param minDays days: at least this absolute difference (a week)
 */
public record ReasonRules(int minPeers, double minRelativeDifference, double minPercentPoints, double minCount,
    double minDays) implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final ReasonRules DEFAULT = new ReasonRules(20, 0.25, 0.10, 1, 7);

  public ReasonRules {
    if (minPeers < 2) {
      throw new IllegalArgumentException("a peer group needs at least 2 customers, found " + minPeers);
    }
  }

  /**
   * Whether a feature with this contribution, the customer's value and the peers' typical value
   * makes a reason a person can follow. Without a typical value nothing can be compared and the
   * contribution alone decides (as long as the customer has a value); a missing value against a
   * known typical one is itself a difference (no order yet).
   */
  public boolean worthShowing(double contribution, Double value, Double typical, ValueFormat format, Better better,
      ReasonWording wording) {
    if (value == null || value.isNaN()) {
      return typical != null;
    }
    if (typical == null) {
      return true;
    }
    return differsClearly(value, typical, format, wording) && pointsTheSameWay(contribution, value, typical, better);
  }

  /** Whether the difference is large enough for the feature's kind, and visible in the rounded texts. */
  boolean differsClearly(double value, double typical, ValueFormat format, ReasonWording wording) {
    if (format.format(value, wording).equals(format.format(typical, wording))) {
      return false;
    }
    double difference = Math.abs(value - typical);
    double relative = minRelativeDifference * Math.max(Math.abs(value), Math.abs(typical));
    return switch (format) {
      case PERCENT -> difference >= minPercentPoints - 1e-12;
      case COUNT -> difference >= Math.max(minCount, relative);
      case DAYS -> difference >= Math.max(minDays, relative);
      case MONEY, NUMBER -> difference >= relative;
    };
  }

  /**
   * A raising reason needs a worse value than typical, a lowering one a better value: a tree may
   * have learnt that an unusually good value goes with more risk (too few such customers, or an
   * interaction), which no person can act on from the sentence alone.
   */
  static boolean pointsTheSameWay(double contribution, double value, double typical, Better better) {
    boolean higher = value > typical;
    return switch (better) {
      case EITHER -> true;
      case HIGHER -> contribution > 0 ? !higher : higher;
      case LOWER -> contribution > 0 ? higher : !higher;
    };
  }
}

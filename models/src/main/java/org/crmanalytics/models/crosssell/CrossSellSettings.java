package org.crmanalytics.models.crosssell;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The cross-sell settings (docs/cross-sell.md): the level recommended (a column of the sales lines
 * or of the products, {@code product_group} by default), the windows, and each method's settings.
 *
 * @param level the column whose values are recommended: {@code product_group} (from products) or
 *     {@code product_id} (on the sales line itself)
 * @param lookbackMonths what a customer "buys" at T: its purchases in (T − lookback, T]
 * @param horizonMonths the window after a date in which adoptions are observed: (T, T + horizon];
 *     also the distance of the validation date before T
 * @param topK recommendations kept per customer
 */
public record CrossSellSettings(String level, int lookbackMonths, int horizonMonths, int topK,
    PeerGroups.Settings peers, WhiteSpace.Settings whiteSpace, AssociationRules.Settings rules,
    CollaborativeFiltering.Settings collaborativeFiltering) {
  public static final CrossSellSettings DEFAULTS = new CrossSellSettings("product_group", 12, 6, 5,
      PeerGroups.Settings.DEFAULTS, WhiteSpace.Settings.DEFAULTS, AssociationRules.Settings.DEFAULTS,
      CollaborativeFiltering.Settings.DEFAULTS);

  public CrossSellSettings {
    if (level == null || level.isBlank()) {
      throw new IllegalArgumentException("cross-sell level must name a column (product_group, product_id)");
    }
    if (lookbackMonths < 1 || lookbackMonths > 60) {
      throw new IllegalArgumentException("cross-sell lookback months " + lookbackMonths + " is not between 1 and 60");
    }
    if (horizonMonths < 1 || horizonMonths > 24) {
      throw new IllegalArgumentException("cross-sell horizon months " + horizonMonths + " is not between 1 and 24");
    }
    if (topK < 1 || topK > 100) {
      throw new IllegalArgumentException("cross-sell top k " + topK + " is not between 1 and 100");
    }
    if (peers == null || whiteSpace == null || rules == null || collaborativeFiltering == null) {
      throw new IllegalArgumentException("cross-sell settings need peer, white-space, rule and CF settings");
    }
  }

  /** The sales lines at this level ({@link ItemPurchases#lines}); products may be null for a sales column. */
  public Dataset<Row> lines(Dataset<Row> sales,
      Dataset<Row> products) {
    return ItemPurchases.lines(sales, products, level);
  }

  public CrossSellSettings withLevel(String otherLevel) {
    return new CrossSellSettings(otherLevel, lookbackMonths, horizonMonths, topK, peers, whiteSpace, rules,
        collaborativeFiltering);
  }

  public CrossSellSettings withCollaborativeFiltering(CollaborativeFiltering.Settings other) {
    return new CrossSellSettings(level, lookbackMonths, horizonMonths, topK, peers, whiteSpace, rules, other);
  }

  public CrossSellSettings withPeers(PeerGroups.Settings other) {
    return new CrossSellSettings(level, lookbackMonths, horizonMonths, topK, other, whiteSpace, rules,
        collaborativeFiltering);
  }

  public CrossSellSettings withRules(AssociationRules.Settings other) {
    return new CrossSellSettings(level, lookbackMonths, horizonMonths, topK, peers, whiteSpace, other,
        collaborativeFiltering);
  }
}

package org.crmanalytics.models.crosssell;

import org.crmanalytics.models.contract.Contract.Sales;

/**
 * The column names of {@code cross_sell/recommendations} (docs/cross-sell.md, Outputs): the stage
 * writes them, the scorecard and the scores read them. Here, below both, because stages do not
 * know each other's classes.
 */
public final class CrossSellOutput {
  public static final String CUSTOMER_ID = Sales.CUSTOMER_ID;
  public static final String RANK = RankingMetrics.RANK;
  public static final String ITEM = ItemPurchases.ITEM;
  /** The level column recommended (product_group, product_id). */
  public static final String LEVEL = "level";
  public static final String EURO_POTENTIAL = CrossSell.EURO_POTENTIAL;
  public static final String PROBABILITY = CrossSell.PROBABILITY;
  /** The ranking published: blend or white_space. */
  public static final String METHOD = CrossSell.METHOD;
  /** What the reason quotes: white_space, association_rules or collaborative_filtering. */
  public static final String EVIDENCE = "evidence";
  public static final String REASON_EN = "reason_en";
  public static final String REASON_DE = "reason_de";
  public static final String AS_OF = "as_of";

  private CrossSellOutput() {}
}

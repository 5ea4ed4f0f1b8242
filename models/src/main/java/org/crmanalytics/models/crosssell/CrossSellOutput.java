package org.crmanalytics.models.crosssell;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract.Sales;

/**
 * The columns of {@code cross_sell/recommendations} (docs/cross-sell.md, Outputs): the stage
 * writes them; the scorecard, the scores and the write-back read them. Here, below all of them,
 * because stages do not know each other's classes.
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

  /** The recommendations' columns and types, in the order the stage writes them. */
  public static final StructType SCHEMA = new StructType()
      .add(CUSTOMER_ID, DataTypes.StringType).add(RANK, DataTypes.IntegerType)
      .add(ITEM, DataTypes.StringType).add(LEVEL, DataTypes.StringType)
      .add(EURO_POTENTIAL, DataTypes.DoubleType).add(WhiteSpace.POTENTIAL, DataTypes.DoubleType)
      .add(PROBABILITY, DataTypes.DoubleType).add(METHOD, DataTypes.StringType)
      .add(EVIDENCE, DataTypes.StringType).add(REASON_EN, DataTypes.StringType).add(REASON_DE, DataTypes.StringType)
      .add(PeerGroups.PEER_LEVEL, DataTypes.StringType).add(PeerGroups.PEER_GROUP, DataTypes.StringType)
      .add(WhiteSpace.PENETRATION, DataTypes.DoubleType).add(WhiteSpace.MEDIAN_SPEND, DataTypes.DoubleType)
      .add(WhiteSpace.EXPECTED_SPEND, DataTypes.DoubleType).add(WhiteSpace.OWN_SPEND, DataTypes.DoubleType)
      .add(CrossSell.RULE_ANTECEDENT, DataTypes.createArrayType(DataTypes.StringType))
      .add(CrossSell.RULE_CONFIDENCE, DataTypes.DoubleType).add(CrossSell.RULE_LIFT, DataTypes.DoubleType)
      .add(AssociationRules.RULE_SOURCE, DataTypes.StringType).add(AS_OF, DataTypes.DateType);

  private CrossSellOutput() {}
}

package org.crmanalytics.jobs.writeback;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.jobs.crosssell.CrossSellStage;
import org.crmanalytics.models.crosssell.AssociationRules;
import org.crmanalytics.models.crosssell.CrossSell;
import org.crmanalytics.models.crosssell.CrossSellOutput;
import org.crmanalytics.models.crosssell.ItemPurchases;
import org.crmanalytics.models.crosssell.PeerGroups;
import org.crmanalytics.models.crosssell.RankingMetrics;
import org.crmanalytics.models.crosssell.WhiteSpace;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * cross_sell/recommendations rows built by column name from the production schema
 * (CrossSellOutput.SCHEMA), for the write-back tests.
 */
final class CrossSellFixture {
  static final StructType SCHEMA = CrossSellOutput.SCHEMA;
  static final List<String> ITEMS = List.of("Hydraulik", "Pneumatik", "Druckluftaufbereitung", "Dichtungen", "Lager");

  private CrossSellFixture() {}

  /**
   * Customer {@code customer}'s recommendation at {@code rank} (1 to 3): item and figures follow from both, so
   * a later list can move an item; {@code bump} raises the € potential (a changed recommendation).
   * The German reason carries what breaks naive writers (quotes, tab, newline, umlauts, ';').
   */
  static Row row(int customer, int rank, LocalDate asOf, double bump) {
    String item = ITEMS.get((customer + rank) % ITEMS.size());
    // Quarters: exact in binary, so a database prints a figure as Java does.
    double penetration = 1.0 - 0.25 * rank;
    double gap = 2000.25 + 100 * customer - 10 * rank;
    Map<String, Object> v = new HashMap<>();
    v.put(CustomerScores.CUSTOMER_ID, ScoresFixture.customerId(customer));
    v.put(RankingMetrics.RANK, rank);
    v.put(ItemPurchases.ITEM, item);
    v.put(CrossSellStage.LEVEL, "product_group");
    v.put(CrossSell.EURO_POTENTIAL, penetration * gap + bump);
    v.put(WhiteSpace.POTENTIAL, gap);
    v.put(CrossSell.PROBABILITY, penetration);
    v.put(CrossSellStage.METHOD, CrossSell.WHITE_SPACE);
    v.put(CrossSellStage.EVIDENCE, CrossSell.WHITE_SPACE);
    v.put(CrossSellStage.REASON_EN, Math.round(penetration * 100) + "% of comparable customers (Maschinenbau, 50–249 "
        + "employees) buy " + item + ", median €12,400/year; this customer buys none");
    v.put(CrossSellStage.REASON_DE, Math.round(penetration * 100) + " % vergleichbarer Kunden (Maschinenbau; „50–249“)"
        + " kaufen " + item + ",\tMedian 12.400 €/Jahr;\ndieser Kunde kauft nichts davon");
    v.put(PeerGroups.PEER_LEVEL, "industry_size");
    v.put(PeerGroups.PEER_GROUP, "Maschinenbau|50-249");
    v.put(WhiteSpace.PENETRATION, penetration);
    v.put(WhiteSpace.MEDIAN_SPEND, 12400.0);
    v.put(WhiteSpace.EXPECTED_SPEND, gap);
    v.put(WhiteSpace.OWN_SPEND, 0.0);
    v.put(CrossSell.RULE_ANTECEDENT, rank == 2 ? List.of("Pneumatik") : null);
    v.put(CrossSell.RULE_CONFIDENCE, rank == 2 ? 0.64 : null);
    v.put(CrossSell.RULE_LIFT, rank == 2 ? 3.1 : null);
    v.put(AssociationRules.RULE_SOURCE, rank == 2 ? "baskets" : null);
    v.put(CrossSellStage.AS_OF, Date.valueOf(asOf));
    Object[] values = new Object[SCHEMA.size()];
    for (int i = 0; i < values.length; i++) {
      String name = SCHEMA.fields()[i].name();
      if (!v.containsKey(name)) {
        throw new IllegalStateException("CrossSellFixture has no value for the column " + name);
      }
      values[i] = v.get(name);
    }
    return RowFactory.create(values);
  }

  /** Ranks 1..{@code k} of each customer in [from, to). */
  static List<Row> lists(LocalDate asOf, int from, int to, int k) {
    List<Row> out = new ArrayList<>();
    for (int c = from; c < to; c++) {
      for (int r = 1; r <= k; r++) {
        out.add(row(c, r, asOf, 0));
      }
    }
    return out;
  }

  /** A value of a fixture row, by column name. */
  static Object value(Row row, String column) {
    return row.get(SCHEMA.fieldIndex(column));
  }

  /** {@code row} with {@code column} set to {@code value}. */
  static Row with(Row row, String column, Object value) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    values[SCHEMA.fieldIndex(column)] = value;
    return RowFactory.create(values);
  }

  static Dataset<Row> frame(SparkSession spark, List<Row> rows) {
    return spark.createDataFrame(rows, SCHEMA).repartition(2);
  }

  /** {@code n} recommendations computed by Spark (for large loads), five per customer, every column filled. */
  static Dataset<Row> generated(SparkSession spark, long n, LocalDate asOf, int partitions) {
    Column i = col("id");
    Map<String, Column> v = new HashMap<>();
    v.put(CustomerScores.CUSTOMER_ID, format_string("K%08d", i.divide(5).cast("long")));
    v.put(RankingMetrics.RANK, pmod(i, lit(5)).plus(1));
    v.put(ItemPurchases.ITEM, concat(lit("Gruppe "), pmod(i, lit(17)).cast("string")));
    v.put(CrossSellStage.LEVEL, lit("product_group"));
    v.put(CrossSell.EURO_POTENTIAL, i.multiply(0.5));
    v.put(WhiteSpace.POTENTIAL, i.multiply(1.25));
    v.put(CrossSell.PROBABILITY, lit(0.4));
    v.put(CrossSellStage.METHOD, lit(CrossSell.WHITE_SPACE));
    v.put(CrossSellStage.EVIDENCE, lit(CrossSell.WHITE_SPACE));
    v.put(CrossSellStage.REASON_EN, lit("40% of comparable customers buy it; this customer buys none"));
    v.put(CrossSellStage.REASON_DE, lit("40 % vergleichbarer Kunden kaufen es; dieser Kunde kauft nichts davon"));
    v.put(PeerGroups.PEER_LEVEL, lit("industry"));
    v.put(PeerGroups.PEER_GROUP, lit("Maschinenbau"));
    v.put(WhiteSpace.PENETRATION, lit(0.4));
    v.put(WhiteSpace.MEDIAN_SPEND, lit(12400.0));
    v.put(WhiteSpace.EXPECTED_SPEND, i.multiply(1.25));
    v.put(WhiteSpace.OWN_SPEND, lit(0.0));
    v.put(CrossSell.RULE_ANTECEDENT, lit(null));
    v.put(CrossSell.RULE_CONFIDENCE, lit(null));
    v.put(CrossSell.RULE_LIFT, lit(null));
    v.put(AssociationRules.RULE_SOURCE, lit(null));
    v.put(CrossSellStage.AS_OF, lit(Date.valueOf(asOf)));
    List<Column> typed = new ArrayList<>();
    for (StructField f : SCHEMA.fields()) {
      typed.add(v.get(f.name()).cast(f.dataType()).as(f.name()));
    }
    return spark.range(0, n, 1, partitions).select(typed.toArray(Column[]::new));
  }
}

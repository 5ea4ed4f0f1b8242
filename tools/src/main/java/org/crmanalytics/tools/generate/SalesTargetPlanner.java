package org.crmanalytics.tools.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.quarter;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.year;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Quarterly targets per rep, set the way a sales manager would: around what the rep can do
 * (half this quarter's result, half the rep's average quarter), scaled by how demanding the
 * rep's manager is, so that some reps end above target and some below.
 */
final class SalesTargetPlanner {
  private SalesTargetPlanner() {}

  static final String REVENUE = "revenue";
  static final String VISITS = "visits";
  static final String NEW_CUSTOMERS = "new_customers";
  static final String OFFERS_WON = "offers_won";
  private static final String[] KPIS = {REVENUE, VISITS, NEW_CUSTOMERS, OFFERS_WON};

  /**
   * What each rep achieved per quarter, measured on the generated tables the way a sales
   * controller would: revenue of the rep's customers, the rep's visits and won offers, and new
   * accounts. Columns rep_id, period, kpi, value.
   */
  static Dataset<Row> achieved(Dataset<Row> customers, Dataset<Row> sales,
      Dataset<Row> activities, Dataset<Row> offers, LocalDate historyStart) {
    Dataset<Row> revenue = sales.select("customer_id", "order_date", "net_amount")
        .join(customers.select("customer_id", "sales_rep_id"), "customer_id")
        .groupBy(col("sales_rep_id").as("rep_id"), quarterOf(col("order_date")).as("period"))
        .agg(sum(col("net_amount").cast("double")).as("value"))
        .withColumn("kpi", lit(REVENUE));
    Dataset<Row> visits = activities.filter(col("type").equalTo("visit"))
        .groupBy(col("rep_id"), quarterOf(to_date(col("occurred_at"))).as("period"))
        .agg(count(lit(1)).cast("double").as("value"))
        .withColumn("kpi", lit(VISITS));
    Dataset<Row> won = offers.filter(col("status").equalTo("won"))
        .groupBy(col("rep_id"), quarterOf(to_date(col("closed_at"))).as("period"))
        .agg(count(lit(1)).cast("double").as("value"))
        .withColumn("kpi", lit(OFFERS_WON));
    Dataset<Row> newCustomers = customers
        .filter(col("created_at").geq(lit(java.sql.Date.valueOf(historyStart))))
        .groupBy(col("sales_rep_id").as("rep_id"), quarterOf(col("created_at")).as("period"))
        .agg(count(lit(1)).cast("double").as("value"))
        .withColumn("kpi", lit(NEW_CUSTOMERS));
    return revenue.unionByName(visits).unionByName(won).unionByName(newCustomers)
        .select("rep_id", "period", "kpi", "value");
  }

  /** "2025-Q3": the period format of sales_targets. */
  static String quarterLabel(LocalDate date) {
    return date.getYear() + "-Q" + ((date.getMonthValue() - 1) / 3 + 1);
  }

  private static Column quarterOf(Column date) {
    return concat(year(date).cast("string"), lit("-Q"), quarter(date).cast("string"));
  }

  /** Targets in the contract's sales_targets shape, from the achieved totals (rep, period, kpi). */
  static List<Row> plan(CompanyModel model, Map<List<String>, Double> achieved) {
    List<String> quarters = new ArrayList<>();
    for (LocalDate d = model.startDate(); !d.isAfter(model.endDate()); d = d.plusMonths(1)) {
      String q = quarterLabel(d);
      if (!quarters.contains(q)) {
        quarters.add(q);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < model.repCount(); k++) {
      CompanyModel.Rep rep = model.rep(k);
      SplittableRandom r = Randoms.stream(model.seed(), k, Randoms.Stream.TARGETS);
      for (String kpi : KPIS) {
        Map<String, Double> byQuarter = new TreeMap<>();
        double total = 0;
        for (String q : quarters) {
          double v = achieved.getOrDefault(List.of(rep.id(), q, kpi), 0.0);
          byQuarter.put(q, v);
          total += v;
        }
        if (total <= 0) {
          continue; // inside-sales reps have no visit target, for instance
        }
        double mean = total / quarters.size();
        for (String q : quarters) {
          double noise = Math.exp(0.08 * Randoms.gaussian(r));
          double target = rep.ambition() * (0.5 * byQuarter.get(q) + 0.5 * mean) * noise;
          BigDecimal value = REVENUE.equals(kpi)
              ? BigDecimal.valueOf(Math.max(1000, Math.round(target / 1000.0) * 1000))
              : BigDecimal.valueOf(Math.max(1, Math.round(target)));
          rows.add(RowFactory.create(rep.id(), q, kpi, value));
        }
      }
    }
    return rows;
  }

  /** Collected (rep, period, kpi, value) rows to the map {@link #plan} takes. */
  static Map<List<String>, Double> toMap(List<Row> achievedRows) {
    Map<List<String>, Double> map = new HashMap<>();
    for (Row row : achievedRows) {
      map.merge(List.of(row.getString(0), row.getString(1), row.getString(2)), row.getDouble(3),
          Double::sum);
    }
    return map;
  }
}

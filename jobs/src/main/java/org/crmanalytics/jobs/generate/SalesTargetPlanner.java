package org.crmanalytics.jobs.generate;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.jobs.generate.LifeEvents.Activity;
import org.crmanalytics.jobs.generate.LifeEvents.Offer;
import org.crmanalytics.jobs.generate.LifeEvents.Order;

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

  /** What one customer contributed to its reps' results: (rep, period, kpi, value). */
  static final StructType ACHIEVED_SCHEMA =
      new StructType(new StructField[] {
        new StructField("rep_id", StringType, false, Metadata.empty()),
        new StructField("period", StringType, false, Metadata.empty()),
        new StructField("kpi", StringType, false, Metadata.empty()),
        new StructField("value", DoubleType, false, Metadata.empty()),
      });

  static String quarter(LocalDate date) {
    return date.getYear() + "-Q" + ((date.getMonthValue() - 1) / 3 + 1);
  }

  /** Adds one customer's achievements to {@code totals} (key: rep, period, kpi). */
  static void addAchieved(CustomerLife life, Map<List<String>, Double> totals) {
    CompanyModel model = life.model();
    String customerRep = model.rep(life.profile.rep).id();
    for (Order o : life.orders()) {
      add(totals, customerRep, quarter(TableRows.date(model, o.day)), REVENUE, o.netE4() / 1e4);
    }
    for (Activity a : life.activities()) {
      if ("visit".equals(a.type())) {
        add(totals, model.rep(a.rep()).id(),
            quarter(TableRows.date(model, LifeEvents.dayOf(a.second()))), VISITS, 1);
      }
    }
    for (Offer o : life.offers()) {
      if ("won".equals(o.status())) {
        add(totals, model.rep(o.rep()).id(),
            quarter(TableRows.date(model, LifeEvents.dayOf(o.closedSecond()))), OFFERS_WON, 1);
      }
    }
    if (life.profile.createdDay >= 0) {
      add(totals, customerRep, quarter(TableRows.date(model, life.profile.createdDay)),
          NEW_CUSTOMERS, 1);
    }
  }

  private static void add(Map<List<String>, Double> totals, String rep, String period,
      String kpi, double value) {
    totals.merge(List.of(rep, period, kpi), value, Double::sum);
  }

  /** Targets in the contract's sales_targets shape, from the achieved totals (rep, period, kpi). */
  static List<Row> plan(CompanyModel model, Map<List<String>, Double> achieved) {
    List<String> quarters = new ArrayList<>();
    for (LocalDate d = model.startDate(); !d.isAfter(model.endDate()); d = d.plusMonths(1)) {
      String q = quarter(d);
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

package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.crmanalytics.models.crosssell.CrossSellFixture.customer;
import static org.crmanalytics.models.crosssell.CrossSellFixture.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Peer groups and white space on a company written by hand, every figure worked out below.
 *
 * <p>T = 2025-12-31, lookback 12 months: purchases in (2024-12-31, 2025-12-31]; minimum group
 * size 4; size bands 1–9, 10–49, 50–249, 250+.
 *
 * <pre>
 * customer industry      region employees  group used (size)
 * M1..M5   Maschinenbau  Bayern 10 20 20 40 49   Maschinenbau | 10–49 | Bayern (5)
 * M6, M7   Maschinenbau  Hessen 15 30      Hessen has 2 → Maschinenbau | 10–49 (7)
 * M8       Maschinenbau  Bayern 100        50–249 has 1 → Maschinenbau (8)
 * H1, H2   Handel        Bayern 5 8        Handel has 2 → all (12)
 * N1       (none)        Bayern (none)     no industry → all (12)
 * Z1       Bau           Hessen 12         Bau has 1 → all (12); never orders
 * L1       Maschinenbau  Bayern 30         created 2026-03-01, after T: not a customer at T
 *
 * spend in the window: M1 A 1000; M2 A 1200 + 800; M3 A 4000, C 300 returned (net 0: no buyer);
 * M4 B 500; M6 A 6000; M8 C 800; H1 C 100 (on T itself); H2 C 300, A 1000; N1 B 200.
 * Not in the window: M7 A 5000 on 2024-12-31 (the open start), M5 A 900 in 2024-06,
 * M4 A 700 and M1 NEW 400 after T (NEW exists only after T).
 *
 * percentiles are exact, interpolated: p of n sorted values sits at position p·(n − 1).
 * Bayern group (5 peers), A: 1000 2000 4000 → penetration 3/5, median 2000, p75 at 1.5 = 3000
 *                         B: 500 → 1/5, 500, 500
 * Maschinenbau | 10–49 (7), A: 1000 2000 4000 6000 → 4/7, median 3000, p75 at 2.25 = 4500
 * Maschinenbau (8),        A: as above → 4/8; C: 800 → 1/8, median 800
 * A customer whose peers bought none of an item (M1, C) has penetration 0 and the spend figures of
 * all customers' buyers.
 * all (12), A: 1000 1000 2000 4000 6000 → 5/12, median 2000, p75 at 3 = 4000
 *           B: 200 500 → 2/12, median 350, p75 at 0.75 = 425
 *           C: 100 300 800 → 3/12, median 300, p75 at 1.5 = 550
 * </pre>
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class WhiteSpaceTest {
  static final LocalDate T = LocalDate.of(2025, 12, 31);
  static final CrossSellSettings SETTINGS = CrossSellSettings.DEFAULTS.withPeers(
      new PeerGroups.Settings(List.of(1, 10, 50, 250), 4));
  private static Dataset<Row> customers;
  private static Dataset<Row> sales;
  private static ItemPurchases purchases;

  @BeforeAll
  static void company(SparkSession spark) {
    customers = CrossSellFixture.customers(spark, List.of(
        customer("M1", "Maschinenbau", "Bayern", 10), customer("M2", "Maschinenbau", "Bayern", 20),
        customer("M3", "Maschinenbau", "Bayern", 20), customer("M4", "Maschinenbau", "Bayern", 40),
        customer("M5", "Maschinenbau", "Bayern", 49), customer("M6", "Maschinenbau", "Hessen", 15),
        customer("M7", "Maschinenbau", "Hessen", 30), customer("M8", "Maschinenbau", "Bayern", 100),
        customer("H1", "Handel", "Bayern", 5), customer("H2", "Handel", "Bayern", 8),
        customer("N1", null, "Bayern", null), customer("Z1", "Bau", "Hessen", 12),
        RowFactory.create("L1", "Maschinenbau", "Bayern", 30, java.sql.Date.valueOf("2026-03-01"))));
    sales = CrossSellFixture.sales(spark, List.of(
        line("o1", 1, "M1", "2025-03-10", "A-1", 1000), line("o2", 1, "M2", "2025-02-01", "A-1", 1200),
        line("o3", 1, "M2", "2025-09-01", "A-2", 800), line("o4", 1, "M3", "2025-04-01", "A-1", 4000),
        line("o5", 1, "M3", "2025-05-01", "C-1", 300), line("o6", 1, "M3", "2025-05-20", "C-1", -300),
        line("o7", 1, "M4", "2025-06-01", "B-1", 500), line("o8", 1, "M6", "2025-07-01", "A-1", 6000),
        line("o9", 1, "M8", "2025-08-01", "C-2", 800), line("o10", 1, "H1", "2025-12-31", "C-1", 100),
        line("o11", 1, "H2", "2025-01-15", "C-1", 300), line("o11", 2, "H2", "2025-01-15", "A-1", 1000),
        line("o12", 1, "N1", "2025-10-01", "B-2", 200), line("o13", 1, "M7", "2024-12-31", "A-1", 5000),
        line("o14", 1, "M5", "2024-06-30", "A-1", 900), line("o15", 1, "M4", "2026-01-15", "A-1", 700),
        line("o16", 1, "M1", "2026-02-01", "NEW-1", 400)));
    purchases = ItemPurchases.of(SETTINGS.lines(sales, CrossSellFixture.products(spark)).cache());
  }

  @Test
  void eachCustomerGetsTheFinestPeerGroupLargeEnough() {
    Map<String, String> got = rows(WhiteSpace.at(customers, purchases, T, SETTINGS).peerGroups(),
        r -> r.getString(0), "peer_level", "peer_group", "peer_group_size");
    Map<String, String> expected = new TreeMap<>();
    for (String m : List.of("M1", "M2", "M3", "M4", "M5")) {
      expected.put(m, "industry_size_region|Maschinenbau | 10–49 | Bayern|5");
    }
    expected.put("M6", "industry_size|Maschinenbau | 10–49|7");
    expected.put("M7", "industry_size|Maschinenbau | 10–49|7");
    expected.put("M8", "industry|Maschinenbau|8");
    for (String c : List.of("H1", "H2", "N1", "Z1")) {
      expected.put(c, "all|all|12");
    }
    assertEquals(expected, got);
  }

  @Test
  void peerTableHasPenetrationMedianAndPercentileOfBuyersSpend() {
    Map<String, String> got = rows(WhiteSpace.at(customers, purchases, T, SETTINGS).table(),
        r -> r.getString(1) + " / " + r.getString(2), "peers", "buyers", "penetration", "median_spend", "percentile_spend");
    assertEquals("5|3|0.6000|2000.00|3000.00", got.get("Maschinenbau | 10–49 | Bayern / A"));
    assertEquals("5|1|0.2000|500.00|500.00", got.get("Maschinenbau | 10–49 | Bayern / B"));
    assertEquals("7|4|0.5714|3000.00|4500.00", got.get("Maschinenbau | 10–49 / A"));
    assertEquals("8|4|0.5000|3000.00|4500.00", got.get("Maschinenbau / A"));
    assertEquals("8|1|0.1250|800.00|800.00", got.get("Maschinenbau / C"));
    assertEquals("12|5|0.4167|2000.00|4000.00", got.get("all / A"));
    assertEquals("12|2|0.1667|350.00|425.00", got.get("all / B"));
    assertEquals("12|3|0.2500|300.00|550.00", got.get("all / C"));
    // M3's returned C makes no buyer: the Bayern group has none; nothing sold after T appears
    assertEquals(null, got.get("Maschinenbau | 10–49 | Bayern / C"));
    assertEquals(List.of(), got.keySet().stream().filter(k -> k.endsWith("NEW")).toList());
  }

  @Test
  void potentialIsThePercentileLessOwnSpendAndRegularBuyersAreMarked() {
    Map<String, String> got = rows(WhiteSpace.at(customers, purchases, T, SETTINGS).customers(),
        r -> r.getString(0) + " " + r.getString(1), "peer_level", "penetration", "spend_level", "expected_spend", "own_spend",
        "potential", "regular_buyer");
    // 12 customers × the 3 groups bought by anyone by T; never NEW
    assertEquals(36, got.size(), got::toString);
    assertEquals("industry_size_region|0.6000|industry_size_region|3000.00|0.00|3000.00|false", got.get("M4 A"));
    assertEquals("industry_size_region|0.6000|industry_size_region|3000.00|1000.00|2000.00|false", got.get("M1 A"),
        "partial buyer: the gap");
    assertEquals("industry_size_region|0.6000|industry_size_region|3000.00|2000.00|1000.00|true", got.get("M2 A"),
        "at the median: regular");
    assertEquals("industry_size_region|0.6000|industry_size_region|3000.00|4000.00|0.00|true", got.get("M3 A"));
    assertEquals("industry_size_region|0.6000|industry_size_region|3000.00|0.00|3000.00|false", got.get("M5 A"),
        "2024-06 is outside");
    assertEquals("industry_size_region|0.2000|industry_size_region|500.00|0.00|500.00|false", got.get("M5 B"));
    assertEquals("industry_size_region|0.0000|all|550.00|0.00|550.00|false", got.get("M1 C"),
        "no peer buys C: penetration 0, sized by all customers' buyers");
    assertEquals("industry_size|0.5714|industry_size|4500.00|0.00|4500.00|false", got.get("M7 A"), "2024-12-31 is outside");
    assertEquals("industry|0.5000|industry|4500.00|0.00|4500.00|false", got.get("M8 A"));
    assertEquals("industry|0.1250|industry|800.00|800.00|0.00|true", got.get("M8 C"));
    assertEquals("all|0.4167|all|4000.00|0.00|4000.00|false", got.get("Z1 A"), "no orders: peers only");
    assertEquals("all|0.1667|all|425.00|200.00|225.00|false", got.get("N1 B"));
    assertEquals("all|0.2500|all|550.00|100.00|450.00|false", got.get("H1 C"), "bought on T itself: counted");
  }

  /**
   * At product level (a column of the sales lines: no products table needed) M2's A is two
   * products. Bayern group, A-1: 1000 1200 4000 → 3/5, median 1200, p75 at 1.5 = 2600; A-2: 800.
   */
  @Test
  void productLevelComparesProducts() {
    CrossSellSettings byProduct = SETTINGS.withLevel("product_id");
    Map<String, String> got = rows(WhiteSpace.at(customers, ItemPurchases.of(byProduct.lines(sales, null)), T, byProduct).table(),
        r -> r.getString(1) + " / " + r.getString(2), "peers", "buyers", "penetration", "median_spend", "percentile_spend");
    assertEquals("5|3|0.6000|1200.00|2600.00", got.get("Maschinenbau | 10–49 | Bayern / A-1"));
    assertEquals("5|1|0.2000|800.00|800.00", got.get("Maschinenbau | 10–49 | Bayern / A-2"));
  }

  /**
   * Per employee, Bayern group, A: 1000/10 = 100, 2000/20 = 100, 4000/20 = 200 → median 100, p75
   * at 1.5 = 150; M4 (40 employees) 150 · 40 = 6000, M5 (49) 7350. N1 has no employee count: its
   * absolute figures stay (425 − 200 = 225).
   */
  @Test
  void perEmployeeScalesThePeersSpendToTheCustomersSize() {
    CrossSellSettings perEmployee = new CrossSellSettings(SETTINGS.level(), 12, 6, 5, SETTINGS.peers(),
        SETTINGS.whiteSpace().withPerEmployee(), SETTINGS.rules(), SETTINGS.collaborativeFiltering());
    Map<String, String> got = rows(WhiteSpace.at(customers, purchases, T, perEmployee).customers(),
        r -> r.getString(0) + " " + r.getString(1), "expected_spend", "typical_spend", "potential", "regular_buyer");
    assertEquals("6000.00|4000.00|6000.00|false", got.get("M4 A"));
    assertEquals("7350.00|4900.00|7350.00|false", got.get("M5 A"));
    assertEquals("1500.00|1000.00|500.00|true", got.get("M1 A"), "1000 of 1000 typical for 10 employees: regular");
    assertEquals("425.00|350.00|225.00|false", got.get("N1 B"));
  }

  /**
   * Held at T: A by M1 M2 M3 M6 H2 (5 buyers), C by M3? no (returned): M8 H1 H2 (3), B by M4 N1 (2).
   * Overall: A, C, B. In Maschinenbau A 4, B 1, C 1: M7 ties B and C, broken by the overall count.
   */
  @Test
  void popularityBaselinesListTheMostBoughtGroupsTheCustomerLacks() {
    Dataset<Row> held = purchases.boughtBefore(T, 12);
    Map<String, String> overall = lists(CrossSellEvaluation.popularity(customers, held, 3, false));
    assertEquals("A C B", overall.get("Z1"));
    assertEquals("A B", overall.get("H1"));
    assertEquals("A C", overall.get("N1"));
    assertEquals("C B", overall.get("M1"));
    Map<String, String> industry = lists(CrossSellEvaluation.popularity(customers, held, 3, true));
    assertEquals("A B", industry.get("M8"));
    assertEquals("A C B", industry.get("M7"));
    assertEquals("A B", industry.get("H1"));
  }

  static Map<String, String> lists(Dataset<Row> ranked) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : ranked.orderBy(col("customer_id"), col(RankingMetrics.RANK)).select("customer_id", "item").collectAsList()) {
      out.merge(r.getString(0), r.getString(1), (a, b) -> a + " " + b);
    }
    return out;
  }

  /** Rows keyed by {@code key}, the columns joined by "|", doubles with four or two decimals. */
  static Map<String, String> rows(Dataset<Row> d, java.util.function.Function<Row, String> key, String... columns) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : d.collectAsList()) {
      StringBuilder b = new StringBuilder();
      for (String c : columns) {
        Object v = r.get(r.fieldIndex(c));
        String text = v instanceof Double x
            ? String.format(Locale.ROOT, c.equals("penetration") ? "%.4f" : "%.2f", x) : String.valueOf(v);
        b.append(b.length() == 0 ? "" : "|").append(text);
      }
      String k = key.apply(r);
      assertEquals(null, out.put(k, b.toString()), "two rows for " + k);
    }
    return out;
  }
}

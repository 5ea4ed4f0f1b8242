package org.crmanalytics.models.btyd;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reproduces the published CDNOW results (../shared/datasets/README.md: Fader, Hardie and Lee
 * 2005; the BTYD vignette; CLVTools and lifetimes test suites) from the raw transaction file:
 * our summary, then our fits. Source: CDNOW 1/10 sample, Fader &amp; Hardie (brucehardie.com).
 */
@Tag("spark")
@Tag("realdata")
@ExtendWith(SharedSpark.class)
class CdnowReproductionTest {
  private static SparkSession spark;
  private static Dataset<Row> log;
  private static Dataset<Row> summary;
  private static Map<String, Row> byId;
  private static BgNbdModel bgnbd;
  private static ParetoNbdModel paretonbd;
  private static GammaGammaModel gammagamma;

  @BeforeAll
  static void fitOnce(SparkSession session) {
    spark = session;
    log = CdnowData.transactions(spark).cache();
    summary = BtydSummary.summarize(log, CdnowData.LOG_COLUMNS, CdnowData.CALIBRATION_END, BtydTimeUnit.WEEKS)
        .cache();
    byId = new HashMap<>();
    for (Row r : summary.collectAsList()) {
      byId.put(r.getString(0), r);
    }
    bgnbd = new BgNbd().setTimeUnit(BtydTimeUnit.WEEKS).fit(summary);
    paretonbd = new ParetoNbd().setTimeUnit(BtydTimeUnit.WEEKS).fit(summary);
    gammagamma = new GammaGamma().fit(summary);
    System.out.println("CDNOW BG/NBD " + bgnbd.describe());
    System.out.println("CDNOW Pareto/NBD " + paretonbd.describe());
    System.out.println("CDNOW Gamma-Gamma " + gammagamma.describe());
  }

  /** One line per reproduced figure in the test output: the source of the table in docs/clv.md. */
  static void report(String what, double published, double ours) {
    System.out.printf(java.util.Locale.ROOT, "CDNOW | %s | %s | %.6g |%n", what, published, ours);
  }

  /** Equal when rounded to {@code digits} significant digits, with half a unit of the last digit of slack. */
  static void assertSignificant(double published, double ours, int digits, String what) {
    report(what, published, ours);
    double unit = Math.pow(10, Math.floor(Math.log10(Math.abs(published))) - (digits - 1));
    assertTrue(Math.abs(published - ours) <= unit / 2,
        what + ": published " + published + ", ours " + ours + " (must agree to " + digits + " significant digits)");
  }

  @Test
  void calibrationFactsMatch() {
    Row r = summary.agg(sum(col(BtydSummary.X).gt(0).cast("int")), sum(col(BtydSummary.X).equalTo(0).cast("int")),
        sum(col(BtydSummary.X))).first();
    report("customers with x > 0", 946, r.getLong(0));
    report("customers with x = 0", 1411, r.getLong(1));
    report("sum of x", 2457, r.getLong(2));
    assertEquals(946L, r.getLong(0), "customers with x > 0");
    assertEquals(1411L, r.getLong(1), "customers with x = 0");
    assertEquals(2457L, r.getLong(2), "sum of x");
    assertEquals(2357, byId.size(), "customers");
  }

  @Test
  void summaryMatchesThePublishedSummaryOfEveryCustomer() {
    Map<String, double[]> published = CdnowData.publishedSummary();
    assertEquals(2357, published.size());
    for (Map.Entry<String, double[]> e : published.entrySet()) {
      Row ours = byId.get(e.getKey());
      double[] p = e.getValue();
      String who = "customer " + e.getKey();
      assertEquals(p[0], ours.getLong(1), who + " x");
      assertEquals(p[1], ours.getDouble(2), 0.005 + 1e-9, who + " t_x");
      assertEquals(p[2], ours.getDouble(3), 0.005 + 1e-9, who + " T");
      if (p[0] > 0) {
        assertEquals(p[3], ours.getDouble(4), 0.005 + 1e-9, who + " zbar");
      } else {
        assertTrue(ours.isNullAt(4), who + ": no repeat purchase, so no mean repeat value");
      }
    }
  }

  @Test
  void bgnbdParametersAndLogLikelihood() {
    double[] c = bgnbd.coefficients();
    assertSignificant(0.2426, c[0], 3, "r");
    assertSignificant(4.4137, c[1], 3, "alpha");
    assertSignificant(0.7930, c[2], 3, "a");
    assertSignificant(2.4262, c[3], 3, "b");
    report("BG/NBD log-likelihood", -9582.43, bgnbd.logLikelihoodValue());
    assertEquals(-9582.43, bgnbd.logLikelihoodValue(), 0.1, "log-likelihood");
  }

  @Test
  void bgnbdUnconditionalExpectationsWithThePapersParameters() {
    double[] paper = {0.2426, 4.4137, 0.7930, 2.4262};
    double[] t = {0.1429, 1, 3, 31.8571, 32, 78};
    double[] expected = {0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576};
    for (int i = 0; i < t.length; i++) {
      report("BG/NBD E[X(" + t[i] + ")], paper's parameters", expected[i], BgNbdMath.expectedPurchases(paper, t[i]));
      assertEquals(expected[i], BgNbdMath.expectedPurchases(paper, t[i]), 0.0005, "E[X(" + t[i] + ")]");
    }
    report("BG/NBD E[X(52)], paper's parameters", 1.444004, BgNbdMath.expectedPurchases(paper, 52));
    assertEquals(1.444004, BgNbdMath.expectedPurchases(paper, 52), 0.0005, "BTYD's E[X(52)]");
  }

  @Test
  void bgnbdConditionalExpectationsOfQuotedCustomers() {
    PurchaseCurve curve = bgnbd.curve();
    report("BG/NBD customer 1516 E[Y(52)]", 25.75659, curve.conditionalExpectedPurchases(52, 26, 30.85714, 31));
    report("BG/NBD customer 1516 P(alive)", 0.9688523, curve.pAlive(26, 30.85714, 31));
    assertEquals(25.75659, curve.conditionalExpectedPurchases(52, 26, 30.85714, 31), 0.002, "customer 1516, 52 weeks");
    assertEquals(0.9688523, curve.pAlive(26, 30.85714, 31), 0.0001, "customer 1516 P(alive)");
    Row one = byId.get("1");
    report("BG/NBD customer 1 E[Y(39)]", 1.226,
        curve.conditionalExpectedPurchases(39, one.getLong(1), one.getDouble(2), one.getDouble(3)));
    assertEquals(1.226, curve.conditionalExpectedPurchases(39, one.getLong(1), one.getDouble(2), one.getDouble(3)),
        0.0005, "customer 1, 39 weeks");
  }

  @Test
  void holdoutTransactionsAndTheirForecast() {
    // Weeks 40-78: 1997-10-01 .. 1998-06-30, 39 weeks; same-day purchases are one transaction.
    long actual = log.filter(col("date").gt(lit(java.sql.Date.valueOf(CdnowData.CALIBRATION_END)))
            .and(col("date").leq(lit(java.sql.Date.valueOf(CdnowData.HOLDOUT_END)))))
        .agg(countDistinct(col("customer_id"), col("date"))).first().getLong(0);
    report("holdout repeat transactions (actual)", 1882, actual);
    assertEquals(1882, actual, "actual repeat transactions in the holdout");
    double forecast = bgnbd.transform(summary)
        .agg(sum(col(BtydOutputs.EXPECTED_PURCHASES))).first().getDouble(0);
    // The model's horizon is in months; the paper's holdout is 39 weeks, so sum the curve directly.
    PurchaseCurve curve = bgnbd.curve();
    double holdout = 0;
    for (Row r : byId.values()) {
      holdout += curve.conditionalExpectedPurchases(39, r.getLong(1), r.getDouble(2), r.getDouble(3));
    }
    report("BG/NBD holdout forecast, sum over customers", 1653.4, holdout);
    assertEquals(1653.4, holdout, 0.5, "sum of conditional expectations over the holdout");
    assertTrue(forecast > holdout, "12 months (52.2 weeks) forecast more than 39 weeks: " + forecast);
  }

  @Test
  void paretoNbdParametersAndCustomer1516() {
    double[] c = paretonbd.coefficients();
    assertSignificant(0.553, c[0], 3, "r");
    assertSignificant(10.578, c[1], 3, "alpha");
    assertSignificant(0.606, c[2], 3, "s");
    report("Pareto/NBD beta", 11.669, c[3]);
    report("Pareto/NBD log-likelihood", -9594.98, paretonbd.logLikelihoodValue());
    assertEquals(11.669, c[3], 11.669 * 0.01, "beta within 1 %");
    assertEquals(-9594.98, paretonbd.logLikelihoodValue(), 0.1, "log-likelihood");
    PurchaseCurve curve = paretonbd.curve();
    report("Pareto/NBD customer 1516 E[Y(52)]", 25.45647, curve.conditionalExpectedPurchases(52, 26, 30.85714, 31));
    report("Pareto/NBD customer 1516 P(alive)", 0.997874, curve.pAlive(26, 30.85714, 31));
    assertEquals(25.45647, curve.conditionalExpectedPurchases(52, 26, 30.85714, 31), 0.01, "customer 1516, 52 weeks");
    assertEquals(0.997874, curve.pAlive(26, 30.85714, 31), 0.0001, "customer 1516 P(alive)");
  }

  @Test
  void gammaGammaParametersAndSpendOfCustomers1To10() {
    double[] c = gammagamma.coefficients();
    assertSignificant(6.25, c[0], 3, "p");
    assertSignificant(3.74, c[1], 3, "q");
    assertSignificant(15.44, c[2], 4, "gamma");
    double[] published = {24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17};
    List<Row> rows = gammagamma.transform(summary.filter(col(BtydSummary.CUSTOMER_ID).cast("int").leq(10)))
        .orderBy(col(BtydSummary.CUSTOMER_ID).cast("int")).collectAsList();
    assertEquals(10, rows.size());
    report("Gamma-Gamma log-likelihood", -4055.92, gammagamma.logLikelihoodValue());
    for (int i = 0; i < 10; i++) {
      report("Gamma-Gamma E[Z] of customer " + (i + 1), published[i], rows.get(i).<Double>getAs(BtydOutputs.EXPECTED_ORDER_VALUE));
      assertEquals(published[i], rows.get(i).<Double>getAs(BtydOutputs.EXPECTED_ORDER_VALUE), 0.01,
          "expected average spend of customer " + (i + 1));
    }
  }
}

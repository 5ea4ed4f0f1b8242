package org.crmanalytics.models.btyd;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLlib stages on a log simulated from known parameters (BtydSimulation, 20,000 customers):
 * parameter recovery, the driver and executor likelihood paths, units, save/load (also inside a
 * PipelineModel) and the errors.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class BtydStagesTest {
  /** Per day: r = 0.25, alpha = 28 days, a = 0.8, b = 2.5; spend p = 6, q = 4, gamma = 15. */
  private static final BtydSimulation.Parameters TRUTH = new BtydSimulation.Parameters(0.25, 28, 0.8, 2.5, 6, 4, 15);
  private static final LocalDate START = LocalDate.of(2023, 1, 1);
  private static final LocalDate CALIBRATION_END = LocalDate.of(2024, 12, 31);

  private static SparkSession spark;
  private static Dataset<Row> daily;
  private static Dataset<Row> weekly;
  private static BgNbdModel bgnbdDays;
  private static BgNbdModel bgnbdWeeks;
  private static GammaGammaModel gammagamma;

  @TempDir static Path dir;

  @BeforeAll
  static void fit(SparkSession session) {
    spark = session;
    Dataset<Row> log = BtydSimulation.transactions(spark, 20_000, 2, TRUTH, START, 90, 731, 7).cache();
    BtydSummary.LogColumns columns = new BtydSummary.LogColumns("customer_id", "order_date", "amount");
    daily = BtydSummary.summarize(log, columns, CALIBRATION_END, BtydTimeUnit.DAYS).cache();
    weekly = BtydSummary.summarize(log, columns, CALIBRATION_END, BtydTimeUnit.WEEKS).cache();
    bgnbdDays = new BgNbd().setTimeUnit(BtydTimeUnit.DAYS).fit(daily);
    bgnbdWeeks = new BgNbd().setTimeUnit(BtydTimeUnit.WEEKS).fit(weekly);
    gammagamma = new GammaGamma().fit(weekly);
  }

  @Test
  void recoversTheSimulatedParameters() {
    double[] c = bgnbdDays.coefficients();
    double[] truth = {TRUTH.r(), TRUTH.alphaDays(), TRUTH.a(), TRUTH.b()};
    for (int i = 0; i < 4; i++) {
      assertEquals(truth[i], c[i], 0.2 * truth[i], BgNbdMath.PARAMETERS.get(i) + " of " + bgnbdDays.describe());
    }
    double[] g = gammagamma.coefficients();
    // p and q trade off against each other; their implied mean spend p gamma / (q - 1) is what is identified well.
    assertEquals(6.0 * 15 / 3, g[0] * g[2] / (g[1] - 1), 0.1 * 30, "mean spend of " + gammagamma.describe());
  }

  @Test
  void weeksAndDaysGiveTheSameForecastForTheSameMonths() {
    // Rates scale with the unit (alpha in weeks = alpha in days / 7); forecasts for 12 calendar months agree.
    assertEquals(bgnbdDays.coefficients()[1] / 7, bgnbdWeeks.coefficients()[1], 0.01 * bgnbdWeeks.coefficients()[1]);
    Dataset<Row> d = gammagamma.transform(daily);
    Dataset<Row> w = gammagamma.transform(weekly);
    Row days = bgnbdDays.transform(d).agg(org.apache.spark.sql.functions.sum(BtydOutputs.EXPECTED_PURCHASES),
        org.apache.spark.sql.functions.sum(BtydOutputs.CLV)).first();
    Row weeks = bgnbdWeeks.transform(w).agg(org.apache.spark.sql.functions.sum(BtydOutputs.EXPECTED_PURCHASES),
        org.apache.spark.sql.functions.sum(BtydOutputs.CLV)).first();
    assertEquals(days.getDouble(0), weeks.getDouble(0), 0.01 * days.getDouble(0), "expected orders in 12 months");
    assertEquals(days.getDouble(1), weeks.getDouble(1), 0.01 * days.getDouble(1), "CLV over 12 months");
  }

  @Test
  void twelveMonthsOnAWeeklyModelAre52WeeksNot360() {
    // The pitfall in the data sets README: "months" of 30 periods on weekly data cover 360 weeks.
    Row customer = bgnbdWeeks.transform(weekly.filter(col(BtydSummary.X).equalTo(3)).limit(1)).first();
    double x = customer.getLong(1);
    double tx = customer.getDouble(2);
    double t = customer.getDouble(3);
    PurchaseCurve curve = bgnbdWeeks.curve();
    double expected = customer.getAs(BtydOutputs.EXPECTED_PURCHASES);
    assertEquals(curve.conditionalExpectedPurchases(365.2425 / 7, x, tx, t), expected, 1e-9);
    assertTrue(curve.conditionalExpectedPurchases(360, x, tx, t) > 2 * expected,
        "360 weeks would forecast far more: " + curve.conditionalExpectedPurchases(360, x, tx, t) + " vs " + expected);
    // The CLV's monthly sum ends at the same 12 months: undiscounted it equals value x expected purchases.
    Row undiscounted = bgnbdWeeks.copy(new org.apache.spark.ml.param.ParamMap()).setAnnualDiscountRate(0)
        .transform(gammagamma.transform(weekly.filter(col(BtydSummary.X).equalTo(3)).limit(1))).first();
    assertEquals(undiscounted.<Double>getAs(BtydOutputs.EXPECTED_ORDER_VALUE)
        * undiscounted.<Double>getAs(BtydOutputs.EXPECTED_PURCHASES), undiscounted.<Double>getAs(BtydOutputs.CLV), 1e-9);
  }

  @Test
  void executorsFindTheSameOptimumAsTheDriver() {
    BgNbdModel distributed = (BgNbdModel) new BgNbd().setTimeUnit(BtydTimeUnit.WEEKS).setMaxDistinctRows(0).fit(weekly);
    assertTrue(distributed.describe().contains("on EXECUTORS"), distributed.describe());
    assertTrue(bgnbdWeeks.describe().contains("on DRIVER"), bgnbdWeeks.describe());
    for (int i = 0; i < 4; i++) {
      assertEquals(bgnbdWeeks.coefficients()[i], distributed.coefficients()[i], 1e-6 * bgnbdWeeks.coefficients()[i]);
    }
    assertEquals(bgnbdWeeks.logLikelihoodValue(), distributed.logLikelihoodValue(), 1e-6);
  }

  @Test
  void paretoNbdFitsTheSameSummary() {
    ParetoNbdModel pareto = new ParetoNbd().setTimeUnit(BtydTimeUnit.WEEKS).fit(weekly);
    double ours = pareto.transform(weekly).agg(org.apache.spark.sql.functions.sum(BtydOutputs.EXPECTED_PURCHASES))
        .first().getDouble(0);
    double bg = bgnbdWeeks.transform(weekly).agg(org.apache.spark.sql.functions.sum(BtydOutputs.EXPECTED_PURCHASES))
        .first().getDouble(0);
    assertEquals(bg, ours, 0.15 * bg, "Pareto/NBD and BG/NBD forecasts on BG/NBD data: " + pareto.describe());
  }

  @Test
  void modelsSurviveSaveAndLoad() throws Exception {
    String path = dir.resolve("bgnbd").toString();
    bgnbdWeeks.write().overwrite().save(path);
    BgNbdModel loaded = BgNbdModel.load(path);
    assertEquals(bgnbdWeeks.uid(), loaded.uid());
    assertEquals(java.util.Arrays.toString(bgnbdWeeks.coefficients()), java.util.Arrays.toString(loaded.coefficients()));
    assertEquals(BtydTimeUnit.WEEKS, loaded.unit());
    assertEquals(bgnbdWeeks.describe(), loaded.describe());
    String ggPath = dir.resolve("gg").toString();
    gammagamma.write().overwrite().save(ggPath);
    assertEquals(java.util.Arrays.toString(gammagamma.coefficients()),
        java.util.Arrays.toString(GammaGammaModel.load(ggPath).coefficients()));
    ParetoNbdModel pareto = new ParetoNbdModel("pnbd-fixed").withCoefficients(BtydTimeUnit.WEEKS, 0.553, 10.578, 0.606, 11.669);
    pareto.write().overwrite().save(dir.resolve("pnbd").toString());
    assertEquals(0.606, ParetoNbdModel.load(dir.resolve("pnbd").toString()).coefficients()[2]);
    BgNbd estimator = (BgNbd) new BgNbd().setTimeUnit(BtydTimeUnit.DAYS).setMaxIter(17);
    estimator.write().overwrite().save(dir.resolve("bgnbd-estimator").toString());
    BgNbd back = BgNbd.load(dir.resolve("bgnbd-estimator").toString());
    assertEquals("days", back.getOrDefault(back.timeUnit()));
    assertEquals(17, (Integer) back.getOrDefault(back.maxIter()));
  }

  @Test
  void aPipelineOfSpendAndPurchaseModelsSurvivesSaveAndLoad() throws Exception {
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new GammaGamma(), new BgNbd().setTimeUnit(BtydTimeUnit.WEEKS)});
    PipelineModel model = pipeline.fit(weekly);
    String path = dir.resolve("pipeline").toString();
    model.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    List<Row> before = model.transform(weekly).orderBy(BtydSummary.CUSTOMER_ID).limit(50).collectAsList();
    List<Row> after = loaded.transform(weekly).orderBy(BtydSummary.CUSTOMER_ID).limit(50).collectAsList();
    assertEquals(before, after);
    assertTrue(List.of(loaded.transform(weekly).columns()).containsAll(
        List.of(BtydOutputs.P_ALIVE, BtydOutputs.EXPECTED_PURCHASES, BtydOutputs.EXPECTED_ORDER_VALUE, BtydOutputs.CLV)));
  }

  @Test
  void aMissingTimeUnitIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BgNbd().fit(weekly));
    assertTrue(e.getMessage().contains("timeUnit is not set"), e.getMessage());
  }

  @Test
  void gammaGammaRefusesNonPositiveSpend() {
    Dataset<Row> bad = weekly.withColumn(BtydSummary.MONETARY,
        org.apache.spark.sql.functions.when(col(BtydSummary.X).gt(0), -1.0).otherwise(col(BtydSummary.MONETARY)));
    Exception e = assertThrows(Exception.class, () -> new GammaGamma().fit(bad));
    assertTrue(String.valueOf(e.getMessage()).contains("positive mean order value"), e.getMessage());
  }
}

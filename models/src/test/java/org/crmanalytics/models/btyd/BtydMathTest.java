package org.crmanalytics.models.btyd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The math without Spark: 2F1 against known closed forms, gradients against finite differences, extremes. */
@Tag("unit")
class BtydMathTest {
  /** Rows (x, t_x, T) with counts: repeat and one-off buyers, t_x = T, a long-lived heavy buyer. */
  private static final LogLikelihood.Block PURCHASES = new LogLikelihood.Block(new double[][] {
      {0, 0, 1, 2, 2, 7, 40},
      {0, 0, 3.5, 10, 30.43, 30, 51.9},
      {38.86, 2, 38, 12, 38.86, 30, 52}},
      new double[] {120, 3, 5, 7, 1, 2, 1});
  private static final LogLikelihood.Block SPEND = new LogLikelihood.Block(new double[][] {
      {1, 1, 2, 5, 12},
      {11.77, 40, 22.35, 35.1, 250}},
      new double[] {3, 1, 2, 1, 1});

  @Test
  void hypergeometricMatchesClosedForms() {
    for (double z : new double[] {0, 0.1, 0.5, 0.9, 0.99}) {
      double expected = z == 0 ? 1 : -Math.log1p(-z) / z;
      assertEquals(expected, Hypergeometric2F1.value(1, 1, 2, z), 1e-12 * expected, "2F1(1,1;2;" + z + ")");
    }
    assertEquals(Math.pow(1 - 0.7, -2.5), Hypergeometric2F1.value(2.5, 3, 3, 0.7), 1e-10, "2F1(a,b;b;z) = (1-z)^-a");
    double w = 0.8;
    assertEquals(Math.asin(w) / w, Hypergeometric2F1.value(0.5, 0.5, 1.5, w * w), 1e-12, "2F1(1/2,1/2;3/2;z^2)");
    // Far beyond double range in linear space: (1 - 0.5)^-5000 = 2^5000.
    assertEquals(5000 * Math.log(2), Hypergeometric2F1.logValue(5000, 10, 10, 0.5).log(), 1e-8, "log space");
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric2F1.value(1, 1, 2, 1.0));
  }

  @Test
  void hypergeometricDerivativesMatchFiniteDifferences() {
    double[] at = {3.2, 27.5, 31.7, 0.42};
    Hypergeometric2F1.LogValue v = Hypergeometric2F1.logValue(at[0], at[1], at[2], at[3]);
    double[] analytic = {v.dA(), v.dB(), v.dC(), v.dZ()};
    for (int k = 0; k < 4; k++) {
      int which = k;
      double numeric = centralDifference(p -> Hypergeometric2F1.logValue(p[0], p[1], p[2], p[3]).log(), at, which);
      assertEquals(numeric, analytic[k], 1e-6 * Math.max(1, Math.abs(numeric)), "d ln 2F1 / d arg " + k);
    }
  }

  @Test
  void bgnbdGradientMatchesFiniteDifferences() {
    assertGradient(BgNbdMath.INSTANCE, PURCHASES, new double[] {0.24, 4.4, 0.79, 2.4});
    assertGradient(BgNbdMath.INSTANCE, PURCHASES, new double[] {3.0, 0.5, 4.0, 0.3});
  }

  @Test
  void aBgnbdBlockIsTheWeightedSumOfItsCustomers() {
    // A prepared block looks ln(alpha + t_x) up in a table of its distinct t_x (PURCHASES repeats
    // t_x = 0); one customer alone computes its own.
    double[] p = {0.24, 4.4, 0.79, 2.4};
    double[][] c = PURCHASES.columns();
    double sum = 0;
    for (int i = 0; i < PURCHASES.size(); i++) {
      sum += PURCHASES.weights()[i] * BgNbdMath.logLikelihood(p, c[0][i], c[1][i], c[2][i]);
    }
    LogLikelihood.Block prepared = BgNbdMath.INSTANCE.prepared(PURCHASES);
    assertEquals(6, prepared.columns()[4].length, "distinct t_x of the 7 rows");
    assertEquals(sum, BgNbdMath.INSTANCE.addTo(p, prepared, null), 1e-12 * Math.abs(sum));
  }

  @Test
  void paretoNbdGradientMatchesFiniteDifferencesOnBothBranches() {
    assertGradient(ParetoNbdMath.INSTANCE, PURCHASES, new double[] {0.55, 10.6, 0.61, 11.7}); // alpha < beta
    assertGradient(ParetoNbdMath.INSTANCE, PURCHASES, new double[] {0.55, 14.0, 0.61, 3.0}); // alpha > beta
    assertGradient(ParetoNbdMath.INSTANCE, PURCHASES, new double[] {1.5, 2.0, 2.5, 2.0}); // alpha = beta
  }

  @Test
  void gammaGammaGradientMatchesFiniteDifferences() {
    assertGradient(GammaGammaMath.INSTANCE, SPEND, new double[] {6.25, 3.74, 15.44});
    assertGradient(GammaGammaMath.INSTANCE, SPEND, new double[] {0.7, 12.0, 300.0});
  }

  @Test
  void likelihoodsStayFiniteAtExtremeInputs() {
    double[] bg = {0.24, 4.4, 0.79, 2.4};
    double[] pareto = {0.55, 10.6, 0.61, 11.7};
    double[][] extremes = {{10_000, 99_000, 100_000}, {0, 0, 1_000_000}, {5_000, 10, 1_000_000}, {1, 1e-9, 1e-9},
        {3_000, 2_000, 2_000}};
    for (double[] e : extremes) {
      LogLikelihood.Block row = BgNbdMath.single(e);
      double[] g = new double[4];
      double ll = BgNbdMath.INSTANCE.addTo(bg, row, g);
      assertTrue(Double.isFinite(ll) && allFinite(g), "BG/NBD at " + java.util.Arrays.toString(e) + ": " + ll);
      double p = BgNbdMath.pAlive(bg, e[0], e[1], e[2]);
      assertTrue(p >= 0 && p <= 1, "BG/NBD P(alive) " + p);
      g = new double[4];
      ll = ParetoNbdMath.INSTANCE.addTo(pareto, row, g);
      assertTrue(Double.isFinite(ll) && allFinite(g), "Pareto/NBD at " + java.util.Arrays.toString(e) + ": " + ll);
      p = ParetoNbdMath.pAlive(pareto, e[0], e[1], e[2]);
      assertTrue(p >= 0 && p <= 1, "Pareto/NBD P(alive) " + p);
      double expected = BgNbdMath.conditionalExpectedPurchases(new double[] {0.24, 4.4, 1.79, 2.4}, 52, e[0], e[1], e[2]);
      assertTrue(Double.isFinite(expected) && expected >= 0, "BG/NBD E[Y(52)] at " + java.util.Arrays.toString(e));
    }
    double[] g = new double[3];
    double ll = GammaGammaMath.INSTANCE.addTo(new double[] {6.25, 3.74, 15.44},
        GammaGammaMath.INSTANCE.prepared(BgNbdMath.single(50_000, 1e6)), g);
    assertTrue(Double.isFinite(ll) && allFinite(g), "Gamma-Gamma at x = 50,000: " + ll);
  }

  @Test
  void aCustomerWhoBoughtAtTheEndIsAliveUnderBgnbd() {
    assertEquals(1.0, BgNbdMath.pAlive(new double[] {0.24, 4.4, 0.79, 2.4}, 0, 0, 30), 0.0, "x = 0 is alive by the model");
    double recent = BgNbdMath.pAlive(new double[] {0.24, 4.4, 0.79, 2.4}, 5, 30, 30);
    double lapsed = BgNbdMath.pAlive(new double[] {0.24, 4.4, 0.79, 2.4}, 5, 3, 30);
    assertTrue(recent > lapsed, "recent buyer " + recent + " more alive than lapsed " + lapsed);
  }

  @Test
  void unitsScaleTheRateParametersOnly() {
    // The same customer in days and in weeks: alpha (a rate scale) is 7x, the predictions equal.
    double[] weeks = {0.24, 4.4, 0.79, 2.4};
    double[] days = {0.24, 4.4 * 7, 0.79, 2.4};
    double weekly = BgNbdMath.conditionalExpectedPurchases(weeks, BtydTimeUnit.WEEKS.fromMonths(12), 3, 20, 30);
    double daily = BgNbdMath.conditionalExpectedPurchases(days, BtydTimeUnit.DAYS.fromMonths(12), 3, 140, 210);
    assertEquals(weekly, daily, 1e-9);
    assertEquals(52.1775, BtydTimeUnit.WEEKS.fromMonths(12), 1e-4, "12 months in weeks");
  }

  @Test
  void bgnbdExpectationOutsideTheClosedFormIsTheIntegralItStandsFor() {
    // Where the paper's closed form holds, the integral over the dropout probability equals it.
    double[][] grid = {{0.24, 4.4, 0.79, 2.4}, {0.24, 4.4, 1.79, 2.4}, {2.0, 30.0, 0.3, 8.0}, {0.5, 1.0, 5.0, 0.6},
        {0.24 + 26, 4.4 + 31, 0.79, 2.4 + 26}, {1.2, 0.05, 0.9, 40.0}};
    for (double[] p : grid) {
      for (double t : new double[] {1, 39, 52.18}) {
        double closed = BgNbdMath.purchasesWhileAlive(p[0], p[1], p[2], p[3], t);
        double integral = BgNbdMath.purchasesWhileAliveIntegral(p[0], p[1], p[2], p[3], t);
        assertEquals(closed, integral, 1e-9 * closed, "E[X(" + t + ")] at " + java.util.Arrays.toString(p));
      }
    }
    // a + b < 1 (the fit of ~100 buyers that crashed the clv stage with "a + b + x > 1 ... try
    // paretonbd"): no closed form, a finite expectation below a never-dropping customer's.
    double[] p = {0.24, 4.4, 0.3, 0.5};
    double expected = BgNbdMath.conditionalExpectedPurchases(p, 52, 0, 0, 30);
    assertTrue(expected > 0 && expected < 0.24 * 52 / (4.4 + 30), "E[Y(52)] = " + expected);
    // Continuous across a = 1, where the closed form divides 0 by 0.
    double below = BgNbdMath.conditionalExpectedPurchases(new double[] {0.24, 4.4, 1 - 1e-6, 2.4}, 52, 2, 20, 30);
    double above = BgNbdMath.conditionalExpectedPurchases(new double[] {0.24, 4.4, 1.01, 2.4}, 52, 2, 20, 30);
    assertEquals(above, below, 1e-2 * above);
    // A 2F1 argument next to 1 (a customer first seen on as_of, tiny alpha): finite, bounded as above.
    double edge = BgNbdMath.conditionalExpectedPurchases(new double[] {0.5, 1e-4, 2.0, 300}, 52, 0, 0, 0);
    assertTrue(edge > 0 && edge <= 0.5 * 52 / 1e-4, "E[Y(52)] = " + edge);
  }

  @Test
  void paretoNbdIntegralEqualsTheClosedForm() {
    // Both branches of the closed form (alpha above and below beta) where its series is fast.
    double[][] params = {{0.55, 10.6, 0.61, 11.7}, {0.55, 14.0, 0.61, 3.0}, {1.5, 2.0, 2.5, 2.1}, {0.3, 60, 2.0, 40}};
    double[][] rows = {{0, 0, 38.86}, {2, 30.43, 38.86}, {26, 30.86, 31}, {7, 3, 52}};
    for (double[] p : params) {
      for (double[] row : rows) {
        double[] closed = new double[4];
        double viaSeries = ParetoNbdMath.diedTerm(p[0], p[1], p[2], p[3], row[0], row[1], row[2], new double[4],
            new double[4], closed);
        double[] d = new double[4];
        double viaIntegral = Math.log(p[2]) + ParetoNbdMath.logDiedIntegral(p[0], p[1], p[2], p[3], row[0], row[1],
            row[2], d);
        d[2] += 1 / p[2];
        String at = java.util.Arrays.toString(p) + " " + java.util.Arrays.toString(row);
        assertEquals(viaSeries, viaIntegral, 1e-10 * Math.abs(viaSeries), at);
        for (int k = 0; k < 4; k++) {
          assertEquals(closed[k], d[k], 1e-8 * Math.max(1, Math.abs(closed[k])), "gradient " + k + " at " + at);
        }
      }
    }
  }

  /**
   * Pareto/NBD with beta far below alpha (small, sparse data drive the fit there): for a one-off
   * buyer (t_x = 0) the closed form's 2F1 argument is 1 − 2e-9, and on main its series threw
   * "2F1(...) did not converge in 2000000 terms" out of the likelihood and out of churn training.
   */
  @Test
  void paretoNbdNextToTheSeriesLimitIsFiniteWithItsGradient() {
    double[] p = {0.5, 50, 0.8, 1e-7};
    LogLikelihood.Block rows = new LogLikelihood.Block(new double[][] {{0, 0, 3}, {0, 0, 10}, {30, 29, 20}},
        new double[] {80, 15, 5});
    double[] g = new double[4];
    double ll = ParetoNbdMath.INSTANCE.addTo(p, rows, g);
    assertTrue(Double.isFinite(ll) && allFinite(g), ll + " " + java.util.Arrays.toString(g));
    assertGradient(ParetoNbdMath.INSTANCE, rows, p);
    double alive = ParetoNbdMath.pAlive(p, 0, 0, 30);
    double expected = ParetoNbdMath.conditionalExpectedPurchases(p, 52, 0, 0, 30);
    assertTrue(alive >= 0 && alive <= 1 && Double.isFinite(expected) && expected >= 0, alive + " " + expected);
    // s = 1 exactly, where the expectation's (s - 1) denominators vanish: the limit, not NaN.
    double atOne = ParetoNbdMath.conditionalExpectedPurchases(new double[] {0.55, 10.6, 1.0, 11.7}, 52, 2, 30, 38);
    double nearOne = ParetoNbdMath.conditionalExpectedPurchases(new double[] {0.55, 10.6, 1.0 + 1e-6, 11.7}, 52, 2, 30,
        38);
    assertEquals(nearOne, atOne, 1e-6 * nearOne);
  }

  private static boolean allFinite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static void assertGradient(LogLikelihood model, LogLikelihood.Block block, double[] at) {
    double[] analytic = new double[at.length];
    LogLikelihood.Block prepared = model.prepared(block);
    model.addTo(at, prepared, analytic);
    for (int k = 0; k < at.length; k++) {
      double numeric = centralDifference(p -> model.addTo(p, prepared, null), at, k);
      assertEquals(numeric, analytic[k], 1e-5 * Math.max(1, Math.abs(numeric)),
          model.parameterNames().get(k) + " at " + java.util.Arrays.toString(at));
    }
  }

  private static double centralDifference(ToDoubleFunction<double[]> f, double[] at, int k) {
    // Relative below 1, so that a parameter near 0 (beta = 1e-7) is not stepped past 0.
    double h = 1e-6 * Math.min(1, Math.abs(at[k])) * Math.max(1, Math.abs(at[k]));
    double[] up = at.clone();
    double[] down = at.clone();
    up[k] += h;
    down[k] -= h;
    return (f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * h);
  }
}

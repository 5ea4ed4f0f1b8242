package org.crmanalytics.models.btyd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The homogeneous-dropout limit (docs/clv.md, "Degenerate fits and fallbacks"): BG/NBD with a and b,
 * or Pareto/NBD with s and beta, run to infinity together at a finite ratio is a valid model in
 * which every customer has the same dropout. Above FitDiagnostics.HOMOGENEOUS_SHAPE it is scored
 * with the limit's formulas; at the threshold they agree with the general ones, and far beyond it
 * scoring stays fast and finite.
 */
@Tag("unit")
class HomogeneousDropoutTest {
  /** Customers (x, t_x, T) in weeks: one-off, early and late repeat buyers, a heavy buyer. */
  private static final double[][] CUSTOMERS = {
      {0, 0, 78}, {1, 20, 78}, {2, 5, 78}, {3, 50, 78}, {10, 70, 78}, {25, 77, 78}, {4, 30, 30}};
  private static final double HORIZON = 52;

  /**
   * At a + b = 1e4 (the general formulas: 2F1 closed form, a/(b+x−1)) against the same p = 0.22 with
   * a and b a thousand times larger (the limit). The limit drops the posterior's shift b → b + x and
   * the spread of Beta(a, b) (variance p(1−p)/(a+b+1)): relative differences of order (x+1)/(a+b).
   * Stated tolerance: 2 (x+1)/(a+b) (0.0002 for x = 0, 0.0052 for x = 25), absolute on P(alive)
   * and relative on expected purchases.
   */
  @Test
  void bgnbdAtTheThresholdTheGeneralAndTheLimitingFormulasAgree() {
    double[] general = {0.25, 8, 0.22 * FitDiagnostics.HOMOGENEOUS_SHAPE, 0.78 * FitDiagnostics.HOMOGENEOUS_SHAPE};
    double[] limit = {0.25, 8, general[2] * 1000, general[3] * 1000};
    assertFalse(BgNbdMath.homogeneous(general[2], general[3]));
    assertTrue(BgNbdMath.homogeneous(limit[2], limit[3]));
    double ab = FitDiagnostics.HOMOGENEOUS_SHAPE;
    assertRelative(BgNbdMath.expectedPurchases(general, HORIZON), BgNbdMath.expectedPurchases(limit, HORIZON), 2 / ab,
        "E[X(52)]");
    double p = 0.22;
    for (double[] c : CUSTOMERS) {
      double x = c[0];
      double tx = c[1];
      double t = c[2];
      String who = "x = " + x + ", t_x = " + tx + ", T = " + t;
      double alive = BgNbdMath.pAlive(limit, x, tx, t);
      // Fader, Hardie and Lee (2005) with the dropout probability fixed at p.
      double fixedP = x == 0 ? 1 : 1 / (1 + p / (1 - p) * Math.pow((8 + t) / (8 + tx), 0.25 + x));
      assertEquals(fixedP, alive, 1e-12, who);
      double tolerance = 2 * (x + 1) / ab;
      assertEquals(BgNbdMath.pAlive(general, x, tx, t), alive, tolerance, "P(alive), " + who);
      assertRelative(BgNbdMath.conditionalExpectedPurchases(general, HORIZON, x, tx, t),
          BgNbdMath.conditionalExpectedPurchases(limit, HORIZON, x, tx, t), tolerance, "E[Y(52)], " + who);
    }
  }

  /**
   * At s = 1e4 (the general formulas) against the same mu = s/beta = 0.02 per week with s and beta
   * a thousand times larger (exponential lifetimes of rate mu). Differences of order 1/s and
   * mu T/s: stated tolerance 1e-3 absolute on P(alive), 2e-3 relative on expected purchases.
   */
  @Test
  void paretoNbdAtTheThresholdTheGeneralAndTheLimitingFormulasAgree() {
    double mu = 0.02;
    double s = FitDiagnostics.HOMOGENEOUS_SHAPE;
    double[] general = {0.5, 10, s, s / mu};
    double[] limit = {0.5, 10, s * 1000, s * 1000 / mu};
    assertFalse(ParetoNbdMath.homogeneous(general[2]));
    assertTrue(ParetoNbdMath.homogeneous(limit[2]));
    // Every customer alive lives a further Exp(mu): E[X(t)] = r/alpha (1 − e^−mu t)/mu.
    assertEquals(0.5 / 10 * -Math.expm1(-mu * HORIZON) / mu, ParetoNbdMath.expectedPurchases(limit, HORIZON), 1e-12);
    assertRelative(ParetoNbdMath.expectedPurchases(general, HORIZON), ParetoNbdMath.expectedPurchases(limit, HORIZON),
        2e-3, "E[X(52)]");
    for (double[] c : CUSTOMERS) {
      double x = c[0];
      double tx = c[1];
      double t = c[2];
      String who = "x = " + x + ", t_x = " + tx + ", T = " + t;
      assertEquals(ParetoNbdMath.pAlive(general, x, tx, t), ParetoNbdMath.pAlive(limit, x, tx, t), 1e-3,
          "P(alive), " + who);
      assertRelative(ParetoNbdMath.conditionalExpectedPurchases(general, HORIZON, x, tx, t),
          ParetoNbdMath.conditionalExpectedPurchases(limit, HORIZON, x, tx, t), 2e-3, "E[Y(52)], " + who);
    }
  }

  /** P(alive) of the fixed-mu Pareto/NBD against its closed form for r + x = 1 (∫ (α+τ)^−1 e^−μτ by quadrature). */
  @Test
  void paretoNbdFixedMuPAliveIsTheShareOfTheAliveLikelihood() {
    double mu = 0.05;
    double[] limit = {0.5, 10, 1e7, 1e7 / mu};
    double x = 0.5; // r + x = 1 is not a purchase count, but the formula holds for any x
    double tx = 12;
    double t = 60;
    // Simpson's rule, fine enough for 1e-9.
    int n = 20_000;
    double h = (t - tx) / n;
    double integral = 0;
    for (int i = 0; i <= n; i++) {
      double tau = tx + i * h;
      double f = Math.exp(-mu * tau) / (10 + tau);
      integral += f * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
    }
    integral *= h / 3;
    double alive = Math.exp(-mu * t) / (10 + t);
    assertEquals(alive / (alive + mu * integral), ParetoNbdMath.pAlive(limit, x, tx, t), 1e-9);
  }

  /**
   * The fit of ClvFallbackTest's seed 2 ran a and b to 1.5e6 and 5.5e6: the limit scores 10,000
   * customers in well under a second, every value finite, P(alive) in [0, 1]. Same for Pareto/NBD
   * with s = 1.5e6.
   */
  @Test
  void farBeyondTheThresholdScoringIsFastAndFinite() {
    double[] bgnbd = {0.25, 8, 1.5e6, 5.5e6};
    double[] pareto = {0.5, 10, 1.5e6, 1.5e6 / 0.02};
    long start = System.nanoTime();
    for (int i = 0; i < 10_000; i++) {
      double[] c = CUSTOMERS[i % CUSTOMERS.length];
      double tx = c[1] * (1 + (i % 13) / 100.0);
      double t = Math.max(tx, c[2]);
      for (double value : new double[] {
          BgNbdMath.pAlive(bgnbd, c[0], tx, t), BgNbdMath.conditionalExpectedPurchases(bgnbd, HORIZON, c[0], tx, t),
          ParetoNbdMath.pAlive(pareto, c[0], tx, t),
          ParetoNbdMath.conditionalExpectedPurchases(pareto, HORIZON, c[0], tx, t)}) {
        assertTrue(Double.isFinite(value) && value >= 0, "customer " + i + ": " + value);
      }
      assertTrue(BgNbdMath.pAlive(bgnbd, c[0], tx, t) <= 1 && ParetoNbdMath.pAlive(pareto, c[0], tx, t) <= 1);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(seconds < 2, "10,000 customers took " + seconds + " s");
    assertTrue(Double.isFinite(BgNbdMath.expectedPurchases(bgnbd, HORIZON)));
    assertTrue(Double.isFinite(ParetoNbdMath.expectedPurchases(pareto, HORIZON)));
  }

  /** The limit is accepted with an informational note; the other edge cases stay degenerate. */
  @Test
  void diagnosticsAcceptTheLimitAndStillFlagTheOtherEdgeCases() {
    FitVerdict bgnbd = FitDiagnostics.purchase(ClvSettings.PurchaseModelKind.BGNBD,
        new double[] {0.25, 8, 1.5e6, 5.5e6}, 1e-6);
    assertFalse(bgnbd.degenerate(), bgnbd.toString());
    assertTrue(bgnbd.hasNote());
    assertEquals("clv_homogeneous_dropout", bgnbd.code());
    assertTrue(bgnbd.reason().startsWith("the data show no difference in dropout between customers; every customer "
        + "is given the same dropout probability p = a/(a+b) = 0.214 per purchase"), bgnbd.reason());
    FitVerdict pareto = FitDiagnostics.purchase(ClvSettings.PurchaseModelKind.PARETONBD,
        new double[] {0.5, 10, 1.5e6, 7.5e7}, 1e-6);
    assertEquals("clv_homogeneous_dropout", pareto.code(), pareto.toString());
    assertFalse(pareto.degenerate());
    assertTrue(pareto.reason().contains("dropout rate mu = s/beta = 0.0200 per time unit"), pareto.reason());

    // Below the threshold: an ordinary fit, no note.
    assertEquals(FitVerdict.OK, FitDiagnostics.purchase(ClvSettings.PurchaseModelKind.BGNBD,
        new double[] {0.25, 8, 2e3, 7e3}, 1e-6));
    assertDegenerate("clv_parameter_at_edge", ClvSettings.PurchaseModelKind.BGNBD, 0.25, 8, 2e6, 100); // a alone
    // b alone: a tiny p for everyone, a valid limit; whether anyone is doubted is judged on the data
    assertEquals("clv_homogeneous_dropout", FitDiagnostics.purchase(ClvSettings.PurchaseModelKind.BGNBD,
        new double[] {0.25, 8, 5, 2e6}, 1e-6).code());
    assertDegenerate("clv_parameter_at_edge", ClvSettings.PurchaseModelKind.BGNBD, 2e6, 8, 1.5e6, 5.5e6); // r
    assertDegenerate("clv_parameter_at_edge", ClvSettings.PurchaseModelKind.BGNBD, 0.25, 8, 1e-7, 5e4); // a at 0
    assertDegenerate("clv_invalid_parameters", ClvSettings.PurchaseModelKind.BGNBD, 0.25, 8, 0.4, 0.45);
    assertDegenerate("clv_parameter_at_edge", ClvSettings.PurchaseModelKind.PARETONBD, 0.5, 10, 3, 2e6); // beta alone
    assertDegenerate("clv_parameter_at_edge", ClvSettings.PurchaseModelKind.PARETONBD, 0.5, 2e6, 1.5e6, 7.5e7);
    assertEquals("clv_homogeneous_dropout", FitDiagnostics.purchase(ClvSettings.PurchaseModelKind.PARETONBD,
        new double[] {0.5, 10, 2e6, 1e12}, 1e-6).code()); // mu ~ 0
    // A fit that did not converge is not rescued by the limit.
    assertEquals("clv_not_converged", FitDiagnostics.purchase(ClvSettings.PurchaseModelKind.BGNBD,
        new double[] {0.25, 8, 1.5e6, 5.5e6}, 0.5).code());
  }

  /** No dropout is judged on P(alive): at least one and 1 % of the repeat buyers must be doubted. */
  @Test
  void aModelThatDoubtsNoRepeatBuyerIsDegenerate() {
    FitVerdict none = FitDiagnostics.dropoutSeen("BG/NBD", 0, 60);
    assertEquals("clv_no_dropout", none.code(), none.toString());
    assertTrue(none.reason().startsWith("BG/NBD puts P(alive) above 0.9 for all of 60 repeat buyers"), none.reason());
    assertEquals(FitVerdict.OK, FitDiagnostics.dropoutSeen("BG/NBD", 1, 60));
    FitVerdict one = FitDiagnostics.dropoutSeen("Pareto/NBD", 1, 200);
    assertTrue(one.degenerate() && one.reason().contains("all but 1 of 200"), one.toString());
    assertEquals(FitVerdict.OK, FitDiagnostics.dropoutSeen("Pareto/NBD", 2, 200));
  }

  private static void assertDegenerate(String code, ClvSettings.PurchaseModelKind kind, double... c) {
    FitVerdict v = FitDiagnostics.purchase(kind, c, 1e-6);
    assertTrue(v.degenerate(), v.toString());
    assertEquals(code, v.code(), v.toString());
  }

  private static void assertRelative(double expected, double actual, double tolerance, String what) {
    assertTrue(Double.isFinite(actual), what + ": " + actual);
    assertEquals(expected, actual, tolerance * Math.abs(expected), what);
  }
}

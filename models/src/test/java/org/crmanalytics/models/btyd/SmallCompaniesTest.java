package org.crmanalytics.models.btyd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 18 simulated 100-customer companies of 18 months (ClvFallbackTest's simulation; three BG/NBD
 * truths, seeds 1 to 6 each: the exploration behind the homogeneous-dropout decision of issue 17):
 * for each, both purchase models are fitted and judged by FitDiagnostics, and fitWithFallback's
 * result is scored. Never an exception; a published purchase model gives every customer a finite P(alive)
 * in [0, 1] and a finite CLV; a homogeneous-dropout fit is published, not rejected. Prints the
 * table of verdicts (docs/clv.md quotes its counts).
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class SmallCompaniesTest {
  /** BG/NBD r, alpha (days), a, b and Gamma-Gamma p, q, gamma of the simulations. */
  private static final List<BtydSimulation.Parameters> TRUTHS = List.of(
      new BtydSimulation.Parameters(0.25, 60, 0.8, 2.5, 6, 4, 15),
      new BtydSimulation.Parameters(0.1, 100, 2.0, 0.5, 6, 4, 15),
      new BtydSimulation.Parameters(0.5, 200, 0.3, 0.3, 6, 4, 15));
  private static final int SEEDS = 6;
  private static final int COMPANIES = TRUTHS.size() * SEEDS;
  private static final Set<String> CODES = Set.of("clv_invalid_parameters", "clv_parameter_at_edge",
      "clv_no_dropout", "clv_not_converged", "clv_fit_diverged", "clv_fit_failed", "clv_homogeneous_dropout",
      "clv_no_purchase_model", "clv_fallback_model", "clv_spend_invalid", "clv_spend_degenerate",
      "clv_too_few_repeat_buyers", "clv_p_alive_withheld");
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  @Test
  void everySmallCompanyGetsAUsableModelOrAReasonAndFiniteScores() {
    ClvSettings settings = ClvSettings.defaults(LocalDate.of(2025, 12, 31));
    List<String> table = new ArrayList<>();
    int[] degenerate = new int[2];
    int[] homogeneous = new int[2];
    int bothDegenerate = 0;
    int published = 0;
    int withheld = 0;
    int tooFewRepeatBuyers = 0;
    for (int company = 0; company < COMPANIES; company++) {
      BtydSimulation.Parameters truth = TRUTHS.get(company / SEEDS);
      int seed = company % SEEDS + 1;
      Dataset<Row> data = ClvFallbackTest.simulatedSmallCompany(spark, truth, seed);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "truth r %.2f alpha %.0f d a %.1f b %.1f, "
          + "seed %d:", truth.r(), truth.alphaDays(), truth.a(), truth.b(), seed));
      boolean all = true;
      boolean anyWithoutDropout = false;
      int k = 0;
      for (PurchaseEstimator<?> estimator : List.of(new BgNbd(), new ParetoNbd())) {
        estimator.setTimeUnit(settings.timeUnit());
        String name = estimator instanceof ParetoNbd ? "paretonbd" : "bgnbd";
        FitVerdict v;
        String coefficients;
        try {
          PurchaseModel<?> model = estimator.fit(data);
          v = CustomerLifetimeValue.judge(model, data);
          coefficients = format(model.coefficients());
        } catch (RuntimeException e) { // what fitWithFallback reports as clv_fit_failed
          v = new FitVerdict(true, "clv_fit_failed", String.valueOf(e.getMessage()));
          coefficients = "";
        }
        degenerate[k] += v.degenerate() ? 1 : 0;
        anyWithoutDropout |= v.code().equals(FitDiagnostics.NO_DROPOUT);
        homogeneous[k] += v.hasNote() ? 1 : 0;
        all &= v.degenerate();
        line.append(String.format(Locale.ROOT, " %s %s (%s)", name, v.code(), coefficients));
        k++;
      }
      bothDegenerate += all ? 1 : 0;
      ClvFit fit = CustomerLifetimeValue.fitWithFallback(data, settings);
      for (ClvFit.Finding f : fit.findings()) {
        assertTrue(CODES.contains(f.code()), f.toString());
      }
      boolean tooFew = fit.findings().stream().anyMatch(f -> f.code().equals("clv_too_few_repeat_buyers"));
      tooFewRepeatBuyers += tooFew ? 1 : 0;
      line.append(" -> ").append(fit.basis());
      table.add(line.toString());
      withheld += fit.pAliveWithheld() ? 1 : 0;
      assertEquals((!all || anyWithoutDropout) && !tooFew, fit.purchases() != null,
          "a company with a usable model gets it: " + line);
      assertEquals(all && anyWithoutDropout && !tooFew, fit.pAliveWithheld(),
          "P(alive) is withheld exactly when the only usable model shows no dropout: " + line);
      if (fit.purchases() != null) {
        published++;
        for (Row r : fit.transform(data).collectAsList()) {
          Double alive = r.getAs(BtydOutputs.P_ALIVE);
          Double clv = r.getAs(BtydOutputs.CLV);
          assertTrue((fit.pAliveWithheld() ? alive == null : alive != null && alive >= 0 && alive <= 1)
                  && clv != null && Double.isFinite(clv) && clv >= 0,
              "seed " + seed + " " + fit.basis() + ": " + r);
        }
      }
      data.unpersist();
    }
    table.forEach(System.out::println);
    System.out.printf(Locale.ROOT, "%d companies: BG/NBD degenerate in %d (homogeneous limit, used, in %d), "
            + "Pareto/NBD degenerate in %d (homogeneous in %d), both degenerate in %d, fewer than %d repeat buyers in "
            + "%d; a purchase model published for %d (without P(alive) for %d)%n", COMPANIES, degenerate[0],
        homogeneous[0], degenerate[1], homogeneous[1], bothDegenerate, FitDiagnostics.MIN_REPEAT_BUYERS,
        tooFewRepeatBuyers, published, withheld);
  }

  private static String format(double[] c) {
    StringBuilder s = new StringBuilder();
    for (double v : c) {
      s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", v));
    }
    return s.toString();
  }
}

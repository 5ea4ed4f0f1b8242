package org.crmanalytics.models.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.crmanalytics.models.evaluation.PairedBootstrap.Interval;
import org.crmanalytics.models.evaluation.PairedBootstrap.Metric;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The bootstrap of a metric difference: exact on all rows, reproducible, and wide when the test set is small. */
@Tag("unit")
class PairedBootstrapTest {
  private static final double[] CONSTANT5 = {0, 0, 0, 0, 0};

  @Test
  void theEstimateIsTheDifferenceOnAllRowsWithTiesCountedHalf() {
    boolean[] churned = {true, false, true, false, false};
    double[] a = {0.5, 0.5, 0.3, 0.3, 0.1};
    // ROC AUC of a: churner 0.5 beats 0.3 and 0.1 and ties 0.5 (2.5 pairs); churner 0.3 beats 0.1 and
    // ties 0.3 (1.5 pairs): 4 of 6. A constant has 0.5. Difference 1/6.
    Interval roc = PairedBootstrap.difference(churned, a, CONSTANT5, Metric.ROC_AUC, 10, 0.9, 1);
    assertEquals(4.0 / 6 - 0.5, roc.estimate(), 1e-12);
    // Average precision of a: group 0.5 has precision 1/2, group 0.3 precision 2/4: (0.5 + 0.5) / 2.
    // A constant scores the base rate 2/5.
    Interval pr = PairedBootstrap.difference(churned, a, CONSTANT5, Metric.PR_AUC, 10, 0.9, 1);
    assertEquals(0.5 - 0.4, pr.estimate(), 1e-12);
    assertTrue(roc.low() <= roc.high());
  }

  @Test
  void theSameSeedGivesTheSameIntervalAnotherSeedAnother() {
    Data d = data(300, 60, 1.0, 7);
    Interval first = PairedBootstrap.difference(d.churned, d.score, d.constant, Metric.ROC_AUC, 200, 0.95, 42);
    Interval again = PairedBootstrap.difference(d.churned, d.score, d.constant, Metric.ROC_AUC, 200, 0.95, 42);
    Interval other = PairedBootstrap.difference(d.churned, d.score, d.constant, Metric.ROC_AUC, 200, 0.95, 43);
    assertEquals(first, again);
    assertNotEquals(first.low(), other.low());
    assertEquals(first.estimate(), other.estimate());
  }

  @Test
  void aNoiseScoreOnFewChurnersHasAnIntervalThatReachesBelowZero() {
    // 82 rows with 5 churners and a score without signal: whatever its AUC, it is not evidence.
    Data d = data(82, 5, 0.0, 3);
    for (Metric m : Metric.values()) {
      Interval i = PairedBootstrap.difference(d.churned, d.score, d.constant, m, 500, 0.95, 42);
      assertTrue(i.low() <= 0, m + " " + i);
      assertTrue(i.high() > i.low(), m + " " + i);
    }
  }

  @Test
  void aRealSignalOnEnoughRowsHasAnIntervalAboveZero() {
    Data d = data(1000, 200, 1.5, 5);
    for (Metric m : Metric.values()) {
      Interval i = PairedBootstrap.difference(d.churned, d.score, d.constant, m, 500, 0.95, 42);
      assertTrue(i.low() > 0, m + " " + i);
      assertTrue(i.low() <= i.estimate() && i.estimate() <= i.high(), m + " " + i);
    }
  }

  @Test
  void bothClassesAreNeeded() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.difference(
        new boolean[] {true, true}, new double[] {0.1, 0.2}, new double[] {0, 0}, Metric.ROC_AUC, 10, 0.95, 1));
    assertEquals("bootstrap: 2 churned of 2 rows; the difference needs both churned and retained rows",
        e.getMessage());
  }

  private record Data(boolean[] churned, double[] score, double[] constant) {}

  /** {@code rows} rows, the first {@code positives} churned; score = signal × label + standard normal noise. */
  private static Data data(int rows, int positives, double signal, long seed) {
    Random r = new Random(seed);
    boolean[] churned = new boolean[rows];
    double[] score = new double[rows];
    for (int i = 0; i < rows; i++) {
      churned[i] = i < positives;
      score[i] = (churned[i] ? signal : 0) + r.nextGaussian();
    }
    return new Data(churned, score, new double[rows]);
  }
}

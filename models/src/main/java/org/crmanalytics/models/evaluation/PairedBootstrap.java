package org.crmanalytics.models.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The sampling error of "score a ranks better than score b" on one test set: a paired, stratified
 * bootstrap of the difference metric(a) − metric(b). Each resample draws the churned rows and the
 * retained rows separately with replacement (so every resample has the test set's base rate and
 * both classes), and both scores are measured on the same drawn rows (paired, so the shared
 * difficulty of the rows cancels). The interval is the percentile interval of the resampled
 * differences (Efron & Tibshirani 1993, "An introduction to the bootstrap", ch. 13). Seeded: the
 * same data and seed give the same interval.
 *
 * <p>A resample only changes how often each row counts, so each score is sorted once and every
 * resample is one pass over the sorted rows with their counts; ties are handled as in
 * {@link BinaryClassifierEvaluation} (a tied churned/retained pair counts half in ROC AUC; average
 * precision takes the precision after a whole group of equal scores).
 */
public final class PairedBootstrap {
  public enum Metric {
    ROC_AUC,
    PR_AUC
  }

  /** metric(a) − metric(b) on all rows, and the percentile interval of the resampled differences. */
  public record Interval(double estimate, double low, double high, int resamples, double confidence) {}

  private PairedBootstrap() {}

  /**
   * @param churned label per row (true = churned)
   * @param a first score per row, higher = more likely to churn
   * @param b second score per row
   * @param confidence e.g. 0.95: the interval from the 2.5th to the 97.5th percentile
   */
  public static Interval difference(boolean[] churned, double[] a, double[] b, Metric metric, int resamples,
      double confidence, long seed) {
    int n = churned.length;
    if (a.length != n || b.length != n) {
      throw new IllegalArgumentException("bootstrap: labels and scores differ in length");
    }
    if (resamples < 1 || !(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("bootstrap: resamples must be at least 1 and confidence in (0, 1), found "
          + resamples + " and " + confidence);
    }
    int[] positives = indices(churned, true);
    int[] negatives = indices(churned, false);
    if (positives.length == 0 || negatives.length == 0) {
      throw new IllegalArgumentException("bootstrap: " + positives.length + " churned of " + n
          + " rows; the difference needs both churned and retained rows");
    }
    Sorted sa = new Sorted(a);
    Sorted sb = new Sorted(b);
    int[] weight = new int[n];
    Arrays.fill(weight, 1);
    double estimate = sa.metric(metric, churned, weight) - sb.metric(metric, churned, weight);
    SplittableRandom random = new SplittableRandom(seed);
    double[] diffs = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      Arrays.fill(weight, 0);
      for (int i = 0; i < positives.length; i++) {
        weight[positives[random.nextInt(positives.length)]]++;
      }
      for (int i = 0; i < negatives.length; i++) {
        weight[negatives[random.nextInt(negatives.length)]]++;
      }
      diffs[r] = sa.metric(metric, churned, weight) - sb.metric(metric, churned, weight);
    }
    Arrays.sort(diffs);
    double tail = (1 - confidence) / 2;
    return new Interval(estimate, quantile(diffs, tail), quantile(diffs, 1 - tail), resamples, confidence);
  }

  private static int[] indices(boolean[] churned, boolean value) {
    int count = 0;
    for (boolean c : churned) {
      count += c == value ? 1 : 0;
    }
    int[] out = new int[count];
    int k = 0;
    for (int i = 0; i < churned.length; i++) {
      if (churned[i] == value) {
        out[k++] = i;
      }
    }
    return out;
  }

  /** Linear interpolation between the order statistics (Hyndman & Fan 1996, type 7). */
  static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /**
   * Row numbers in descending score order and where each group of equal scores ends. Hand-written,
   * not MLlib's BinaryClassificationMetrics: that is a Spark job and a sort per resample (1,000 of
   * them), where a resample here is one pass over arrays; the metrics are those of
   * {@link BinaryClassifierEvaluation}.
   */
  private static final class Sorted {
    private final int[] order;
    private final int[] groupEnd;

    Sorted(double[] score) {
      for (double s : score) {
        if (Double.isNaN(s)) {
          throw new IllegalArgumentException("bootstrap: a score is NaN; score every row");
        }
      }
      order = java.util.stream.IntStream.range(0, score.length).boxed()
          .sorted((x, y) -> Double.compare(score[y], score[x])).mapToInt(Integer::intValue).toArray();
      int[] ends = new int[score.length];
      int groups = 0;
      for (int i = 1; i <= order.length; i++) {
        if (i == order.length || score[order[i]] != score[order[i - 1]]) {
          ends[groups++] = i;
        }
      }
      groupEnd = Arrays.copyOf(ends, groups);
    }

    double metric(Metric metric, boolean[] churned, int[] weight) {
      double pairs = 0;
      double precisionSum = 0;
      long tpBefore = 0;
      long before = 0;
      long negatives = 0;
      int start = 0;
      for (int end : groupEnd) {
        long pos = 0;
        long neg = 0;
        for (int i = start; i < end; i++) {
          int row = order[i];
          if (churned[row]) {
            pos += weight[row];
          } else {
            neg += weight[row];
          }
        }
        pairs += neg * (tpBefore + pos / 2.0);
        if (pos > 0) {
          precisionSum += pos * ((double) (tpBefore + pos) / (before + pos + neg));
        }
        tpBefore += pos;
        negatives += neg;
        before += pos + neg;
        start = end;
      }
      return metric == Metric.ROC_AUC ? pairs / ((double) tpBefore * negatives) : precisionSum / tpBefore;
    }
  }
}

package org.crmanalytics.models.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Evaluates a binary churn score on a DataFrame without collecting its rows: one aggregation for
 * counts, Brier score, log loss and the reliability table, and one pass over the distinct scores in
 * descending order (sorted and summed per partition, the partition totals are the only thing the
 * driver sees) for ROC AUC, average precision, lift and capture. docs/model-evaluation.md has the
 * definitions.
 */
public final class BinaryClassifierEvaluation {
  public static final int RELIABILITY_BINS = 10;
  /** Log loss clips probabilities so that a confident mistake costs log(1e15) ≈ 34.5, not infinity. */
  public static final double LOG_LOSS_EPS = 1e-15;

  private static final String Y = "_y";
  private static final String S = "_s";

  private BinaryClassifierEvaluation() {}

  /**
   * @param data one row per customer
   * @param labelCol 1 = churned, 0 = stayed; any other value (null included) is an error
   * @param scoreCol higher = more likely to churn; null and NaN are errors
   */
  public static ClassifierMetrics evaluate(Dataset<Row> data, String labelCol, String scoreCol, ScoreKind kind) {
    for (String c : List.of(labelCol, scoreCol)) {
      if (!Arrays.asList(data.columns()).contains(c)) {
        throw new IllegalArgumentException("evaluation: no column '" + c + "' among " + Arrays.toString(data.columns()));
      }
    }
    Dataset<Row> ys = data.select(col(labelCol).cast("double").as(Y), col(scoreCol).cast("double").as(S));
    Column y = col(Y);
    Column s = col(S);

    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)));
    aggs.add(count(when(y.isNull().or(not01(y)), lit(1))));
    aggs.add(count(when(s.isNull().or(isnan(s)), lit(1))));
    aggs.add(count(when(s.lt(0).or(s.gt(1)), lit(1))));
    aggs.add(sum(y));
    aggs.add(sum(pow(s.minus(y), 2)));
    Column p = least(greatest(s, lit(LOG_LOSS_EPS)), lit(1 - LOG_LOSS_EPS));
    aggs.add(sum(y.multiply(log(p)).plus(lit(1).minus(y).multiply(log(lit(1).minus(p))))));
    // Clamped first so that a ranking score of any size cannot overflow the bin number.
    Column bin = least(floor(least(greatest(s, lit(0)), lit(1)).multiply(RELIABILITY_BINS)), lit(RELIABILITY_BINS - 1));
    for (int b = 0; b < RELIABILITY_BINS; b++) {
      Column in = bin.equalTo(b);
      aggs.add(count(when(in, lit(1))));
      aggs.add(sum(when(in, s)));
      aggs.add(sum(when(in, y)));
    }
    Row totals = ys.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();

    long rows = totals.getLong(0);
    if (totals.getLong(1) > 0) {
      throw new IllegalArgumentException("evaluation: column '" + labelCol + "' has " + totals.getLong(1)
          + " rows that are not 0 or 1; the label must be 1 (churned) or 0 (stayed) for every row");
    }
    if (totals.getLong(2) > 0) {
      throw new IllegalArgumentException("evaluation: column '" + scoreCol + "' has " + totals.getLong(2)
          + " rows without a score (null or NaN); score every row or leave those customers out");
    }
    if (kind == ScoreKind.PROBABILITY && totals.getLong(3) > 0) {
      throw new IllegalArgumentException("evaluation: column '" + scoreCol + "' has " + totals.getLong(3)
          + " values outside [0, 1], so it is not a probability; evaluate it as ScoreKind.RANKING");
    }
    long positives = Math.round(totals.getDouble(4));
    if (positives == 0 || positives == rows) {
      throw new IllegalArgumentException("evaluation: column '" + labelCol + "' has " + positives + " churned of "
          + rows + " rows; ROC and precision-recall need both churned and retained customers");
    }

    Ranking r = ranking(ys, rows, positives, 0.10, 0.20);
    double nan = Double.NaN;
    double brier = nan;
    double logLoss = nan;
    double ece = nan;
    List<ReliabilityBin> bins = List.of();
    if (kind == ScoreKind.PROBABILITY) {
      brier = totals.getDouble(5) / rows;
      logLoss = -totals.getDouble(6) / rows;
      bins = new ArrayList<>();
      ece = 0;
      for (int b = 0; b < RELIABILITY_BINS; b++) {
        int at = 7 + 3 * b;
        long n = totals.getLong(at);
        double meanPredicted = n == 0 ? nan : totals.getDouble(at + 1) / n;
        double observed = n == 0 ? nan : totals.getDouble(at + 2) / n;
        bins.add(new ReliabilityBin((double) b / RELIABILITY_BINS, (double) (b + 1) / RELIABILITY_BINS, n,
            meanPredicted, observed));
        if (n > 0) {
          ece += (double) n / rows * Math.abs(meanPredicted - observed);
        }
      }
    }
    return new ClassifierMetrics(rows, (double) positives / rows, r.rocAuc, r.averagePrecision,
        r.capture[0] / 0.10, r.capture[0], r.capture[1] / 0.20, r.capture[1], brier, logLoss, ece, bins);
  }

  /**
   * Lift in the top {@code share} of the rows by score (ties pro rata, as for {@code lift_top10}):
   * for a top share that {@link #evaluate} does not report. The label must be 0 or 1 with both
   * classes present and the score must not be null (see {@link #evaluate}).
   */
  public static double liftAtTop(Dataset<Row> data, String labelCol, String scoreCol, double share) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("evaluation: the top share must be in (0, 1], found " + share);
    }
    Dataset<Row> ys = data.select(col(labelCol).cast("double").as(Y), col(scoreCol).cast("double").as(S));
    Row totals = ys.agg(count(lit(1)), sum(col(Y))).first();
    long rows = totals.getLong(0);
    long positives = totals.isNullAt(1) ? 0 : Math.round(totals.getDouble(1));
    if (positives == 0 || positives == rows) {
      throw new IllegalArgumentException("evaluation: column '" + labelCol + "' has " + positives + " churned of "
          + rows + " rows; lift needs both churned and retained customers");
    }
    return ranking(ys, rows, positives, share).capture[0] / share;
  }

  private static Column not01(Column y) {
    return y.notEqual(0).and(y.notEqual(1));
  }

  /** @param capture per top share asked for, the share of all churners in it */
  private record Ranking(double rocAuc, double averagePrecision, double[] capture) {}

  /**
   * The ranking metrics from the distinct scores in descending order. A group of equal scores is one
   * threshold: ROC counts a tied churned/retained pair half, average precision takes the precision
   * after the whole group, and a top-k% cut that falls inside a group takes the group's churners pro
   * rata (the expected count under a random order of the tied rows).
   */
  private static Ranking ranking(Dataset<Row> ys, long rows, long positives, double... topShares) {
    JavaRDD<Row> groups = ys.groupBy(col(S))
        .agg(sum(col(Y)).as("pos"), count(lit(1)).as("size"))
        .orderBy(col(S).desc())
        .toJavaRDD()
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // Per partition: rows and churners; the driver turns them into the counts before each partition.
      List<long[]> perPartition = groups.mapPartitionsWithIndex((index, it) -> {
        long size = 0;
        long pos = 0;
        while (it.hasNext()) {
          Row g = it.next();
          pos += Math.round(g.getDouble(1));
          size += g.getLong(2);
        }
        return List.of(new long[] {index, size, pos}).iterator();
      }, true).collect();
      int partitions = groups.getNumPartitions();
      long[] rowsBefore = new long[partitions];
      long[] posBefore = new long[partitions];
      long[][] sorted = perPartition.toArray(long[][]::new);
      Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
      long accRows = 0;
      long accPos = 0;
      for (long[] t : sorted) {
        rowsBefore[(int) t[0]] = accRows;
        posBefore[(int) t[0]] = accPos;
        accRows += t[1];
        accPos += t[2];
      }
      double[] cuts = Arrays.stream(topShares).map(share -> share * rows).toArray();
      double[] sums = groups.mapPartitionsWithIndex((index, it) -> {
        long before = rowsBefore[index];
        long tpBefore = posBefore[index];
        double aucPairs = 0;
        double precisionAtPositives = 0;
        double[] top = new double[cuts.length];
        while (it.hasNext()) {
          Row g = it.next();
          long pos = Math.round(g.getDouble(1));
          long size = g.getLong(2);
          long neg = size - pos;
          // ROC AUC equals MLlib's areaUnderROC (the test checks it); kept: one sum in this pass, where
          // MLlib would sort every score again, and its trapezoid sum differs in the last bits.
          aucPairs += neg * (tpBefore + pos / 2.0);
          // Not MLlib's areaUnderPR: it interpolates the PR curve linearly; average precision is the step sum.
          precisionAtPositives += pos * ((double) (tpBefore + pos) / (before + size));
          for (int c = 0; c < cuts.length; c++) {
            top[c] += pos * shareInside(cuts[c], before, size);
          }
          before += size;
          tpBefore += pos;
        }
        double[] partition = new double[2 + cuts.length];
        partition[0] = aucPairs;
        partition[1] = precisionAtPositives;
        System.arraycopy(top, 0, partition, 2, cuts.length);
        return List.of(partition).iterator();
      }, true).reduce((a, b) -> {
        double[] both = new double[a.length];
        Arrays.setAll(both, i -> a[i] + b[i]);
        return both;
      });
      long negatives = rows - positives;
      double[] capture = new double[cuts.length];
      Arrays.setAll(capture, c -> sums[2 + c] / positives);
      return new Ranking(sums[0] / ((double) positives * negatives), sums[1] / positives, capture);
    } finally {
      groups.unpersist(false);
    }
  }

  /** The share of a group of {@code size} rows after {@code before} rows that lies above the cut. */
  private static double shareInside(double cut, long before, long size) {
    return Math.max(0, Math.min(1, (cut - before) / size));
  }
}

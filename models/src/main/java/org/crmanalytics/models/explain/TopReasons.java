package org.crmanalytics.models.explain;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.explain.FeatureLabels.Label;
import org.crmanalytics.models.explain.ValueFormat.Language;
import org.crmanalytics.models.scores.CustomerScores;
import org.crmanalytics.models.scores.CustomerScores.Reason;
import org.crmanalytics.models.spark.SparkInternals;

/**
 * The three features that raise a customer's churn risk most and the three that lower it most, with
 * the customer's value and what is typical in the customer's segment, as
 * {@link CustomerScores#CHURN_REASONS} plus one line per language of the raising reasons
 * ({@link CustomerScores#CHURN_REASONS_EN}, {@link CustomerScores#CHURN_REASONS_DE}).
 */
public final class TopReasons {
  public static final int PER_DIRECTION = 3;
  /** percentile_approx's accuracy: the median's rank error is at most 1 / 10,000 of a segment's rows. */
  public static final int MEDIAN_ACCURACY = 10_000;

  private static final String TYPICAL = "_typical";
  private static final String OUT = "_reasons";
  private static final StructType RESULT = new StructType()
      .add(CustomerScores.CHURN_REASONS, CustomerScores.REASONS_TYPE, true)
      .add(CustomerScores.CHURN_REASONS_EN, DataTypes.StringType, true)
      .add(CustomerScores.CHURN_REASONS_DE, DataTypes.StringType, true);

  private TopReasons() {}

  /**
   * The median of every feature per segment, computed by Spark's {@code percentile_approx} (a value
   * that occurs in the segment; of two middle values, the lower). Customers without a segment form
   * one segment of their own. Columns: {@code segmentCol} and {@code _typical} (array<double>).
   */
  public static Dataset<Row> typicalValues(Dataset<Row> customers, String segmentCol, List<String> features) {
    requireColumns(customers, segmentCol, features);
    Column[] medians = features.stream()
        .map(f -> percentile_approx(col(f).cast("double"), lit(0.5), lit(MEDIAN_ACCURACY)))
        .toArray(Column[]::new);
    return customers.groupBy(col(segmentCol)).agg(array(medians).as(TYPICAL));
  }

  /**
   * {@code scored} with {@link CustomerScores#CHURN_REASONS}, {@link CustomerScores#CHURN_REASONS_EN}
   * and {@link CustomerScores#CHURN_REASONS_DE}.
   *
   * @param contributionsCol array<double>, one contribution to the margin per feature (see
   *     {@link FeatureContributions}), in the order of {@code features}
   * @param features the columns of {@code scored} the feature vector was assembled from, in order;
   *     the customer's value is read from them
   */
  public static Dataset<Row> withReasons(Dataset<Row> scored, String contributionsCol, String segmentCol,
      List<String> features, FeatureLabels labels) {
    requireColumns(scored, segmentCol, features);
    requireColumns(scored, contributionsCol, List.of());
    Dataset<Row> typical = typicalValues(scored, segmentCol, features).withColumnRenamed(segmentCol, "_segment");
    Dataset<Row> joined = scored.join(broadcast(typical), scored.col(segmentCol).eqNullSafe(typical.col("_segment")),
        "left").drop("_segment");
    Column values = array(features.stream().map(f -> col(f).cast("double")).toArray(Column[]::new));
    List<String> names = List.copyOf(features);
    UDF1<Row, Row> explain = in -> {
      if (in.isNullAt(0)) {
        return RowFactory.create(null, null, null);
      }
      return reasons(doubles(in.getList(0)), boxed(in.getList(1)), in.isNullAt(2) ? null : boxed(in.getList(2)),
          names, labels);
    };
    Column result = udf(explain, RESULT).apply(struct(col(contributionsCol), values, col(TYPICAL)));
    return joined.withColumn(OUT, result)
        .withColumn(CustomerScores.CHURN_REASONS, col(OUT + "." + CustomerScores.CHURN_REASONS))
        .withColumn(CustomerScores.CHURN_REASONS_EN, col(OUT + "." + CustomerScores.CHURN_REASONS_EN))
        .withColumn(CustomerScores.CHURN_REASONS_DE, col(OUT + "." + CustomerScores.CHURN_REASONS_DE))
        .drop(OUT, TYPICAL);
  }

  /**
   * The reasons of one customer: a row of {@link #RESULT}. The strongest contributions above 0 raise
   * the risk, those below 0 lower it; equal contributions keep the order of {@code features}. The
   * one-line texts list the raising reasons joined by "; " and are null when nothing raises the risk.
   *
   * @param typical the segment's medians, or null when unknown
   */
  static Row reasons(double[] contributions, Double[] values, Double[] typical, List<String> features,
      FeatureLabels labels) {
    if (contributions.length != features.size()) {
      throw new IllegalArgumentException("top reasons: " + contributions.length + " contributions but "
          + features.size() + " feature names; pass the columns the feature vector was assembled from, in order");
    }
    List<Integer> raising = ranked(contributions, Comparator.comparingDouble(i -> -contributions[i]), true);
    List<Integer> lowering = ranked(contributions, Comparator.comparingDouble(i -> contributions[i]), false);
    List<Row> out = new ArrayList<>();
    add(out, raising, Reason.RAISES, contributions, values, typical, features, labels);
    add(out, lowering, Reason.LOWERS, contributions, values, typical, features, labels);
    List<Row> raises = out.subList(0, raising.size());
    String en = raises.isEmpty() ? null
        : raises.stream().map(r -> r.getString(r.fieldIndex(Reason.TEXT_EN))).collect(Collectors.joining("; "));
    String de = raises.isEmpty() ? null
        : raises.stream().map(r -> r.getString(r.fieldIndex(Reason.TEXT_DE))).collect(Collectors.joining("; "));
    return RowFactory.create(out, en, de);
  }

  private static List<Integer> ranked(double[] c, Comparator<Integer> strongestFirst, boolean positive) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < c.length; i++) {
      if (positive ? c[i] > 0 : c[i] < 0) {
        idx.add(i);
      }
    }
    idx.sort(strongestFirst.thenComparing(Comparator.naturalOrder()));
    return idx.subList(0, Math.min(PER_DIRECTION, idx.size()));
  }

  private static void add(List<Row> out, List<Integer> chosen, String direction, double[] contributions,
      Double[] values, Double[] typical, List<String> features, FeatureLabels labels) {
    for (int rank = 0; rank < chosen.size(); rank++) {
      int i = chosen.get(rank);
      Label label = labels.label(features.get(i));
      Double value = values[i];
      Double usual = typical == null ? null : typical[i];
      out.add(SparkInternals.rowWithSchema(new Object[] {rank + 1, direction,
          features.get(i), contributions[i], value, usual, text(label.en(), label.format(), value, usual,
          labels.wording(Language.EN)), text(label.de(), label.format(), value, usual, labels.wording(Language.DE))},
          Reason.SCHEMA));
    }
  }

  /**
   * "orders in the last 90 days: 1 (typical: 6)" in the wording's language; without a typical value,
   * no brackets.
   */
  static String text(String label, ValueFormat format, Double value, Double typical, ReasonWording wording) {
    String shown = format.format(value, wording);
    return typical == null ? ReasonWording.fill(wording.reason(), label, shown)
        : ReasonWording.fill(wording.reasonWithTypical(), label, shown, format.format(typical, wording));
  }

  private static double[] doubles(List<Object> list) {
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      Object v = list.get(i);
      out[i] = v == null ? Double.NaN : ((Number) v).doubleValue();
    }
    return out;
  }

  private static Double[] boxed(List<Object> list) {
    return list.stream().map(v -> v == null ? null : ((Number) v).doubleValue()).toArray(Double[]::new);
  }

  private static void requireColumns(Dataset<Row> data, String segmentCol, List<String> features) {
    List<String> columns = Arrays.asList(data.columns());
    List<String> missing = new ArrayList<>();
    for (String c : concat(segmentCol, features)) {
      if (!columns.contains(c)) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("top reasons: " + missing + " not among the columns " + columns
          + "; the feature names must be the columns the feature vector was assembled from");
    }
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}

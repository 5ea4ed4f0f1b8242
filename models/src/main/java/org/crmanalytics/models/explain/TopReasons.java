package org.crmanalytics.models.explain;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
 * the customer's value and what is typical among the customer's peers, as
 * {@link CustomerScores#CHURN_REASONS} plus one line per language of the raising reasons
 * ({@link CustomerScores#CHURN_REASONS_EN}, {@link CustomerScores#CHURN_REASONS_DE}). A feature
 * whose value does not differ clearly from the typical one, or differs the "wrong" way for its
 * contribution, is passed over for the next (see {@link ReasonRules}).
 */
public final class TopReasons {
  public static final int PER_DIRECTION = 3;
  /** percentile_approx's accuracy: the median's rank error is at most 1 / 10,000 of a segment's rows. */
  public static final int MEDIAN_ACCURACY = 10_000;

  private static final String TYPICAL = "_typical";
  private static final String PEER_LEVEL = "_peer_level";
  private static final String PEER_VALUE = "_peer_value";
  private static final String OUT = "_reasons";
  private static final StructType RESULT = new StructType()
      .add(CustomerScores.CHURN_REASONS, CustomerScores.REASONS_TYPE, true)
      .add(CustomerScores.CHURN_REASONS_EN, DataTypes.StringType, true)
      .add(CustomerScores.CHURN_REASONS_DE, DataTypes.StringType, true);

  /**
   * The peer group whose medians a customer's reasons compare with.
   *
   * @param column the peer-group column; null for all customers
   * @param value the customer's value of {@code column}
   * @param finest whether it is the first group asked for (the reason then just says "typical")
   */
  record PeerGroup(String column, String value, boolean finest) implements Serializable {}

  private TopReasons() {}

  /**
   * The median of every feature per value of {@code groupCol} (over all customers when null), for the
   * groups of at least {@code minPeers} customers, computed by Spark's {@code percentile_approx} (a
   * value that occurs in the group; of two middle values, the lower). Customers without a value of
   * {@code groupCol} belong to no group. Columns: {@code groupCol} (unless null) and {@code _typical}
   * (array<double>).
   */
  public static Dataset<Row> typicalValues(Dataset<Row> customers, String groupCol, List<String> features,
      int minPeers) {
    requireColumns(customers, features, groupCol == null ? List.of() : List.of(groupCol));
    Column[] medians = features.stream()
        .map(f -> percentile_approx(col(f).cast("double"), lit(0.5), lit(MEDIAN_ACCURACY)))
        .toArray(Column[]::new);
    Column size = count(lit(1));
    Dataset<Row> grouped = groupCol == null
        ? customers.agg(size.as("_size"), array(medians).as(TYPICAL))
        : customers.filter(col(groupCol).isNotNull()).groupBy(col(groupCol))
            .agg(size.as("_size"), array(medians).as(TYPICAL));
    return grouped.filter(col("_size").geq(minPeers)).drop("_size");
  }

  /**
   * {@code scored} with {@link CustomerScores#CHURN_REASONS}, {@link CustomerScores#CHURN_REASONS_EN}
   * and {@link CustomerScores#CHURN_REASONS_DE}.
   *
   * @param contributionsCol array<double>, one contribution to the margin per feature (see
   *     {@link FeatureContributions}), in the order of {@code features}
   * @param peerGroupCols the columns whose groups say what is typical, finest first; a customer
   *     whose group (or value) there has fewer than {@code rules.minPeers()} customers is compared
   *     with the next, and in the end with all customers
   * @param features the columns of {@code scored} the feature vector was assembled from, in order;
   *     the customer's value is read from them
   */
  public static Dataset<Row> withReasons(Dataset<Row> scored, String contributionsCol, List<String> peerGroupCols,
      List<String> features, FeatureLabels labels, ReasonRules rules) {
    requireColumns(scored, features, peerGroupCols);
    requireColumns(scored, List.of(contributionsCol), List.of());
    List<String> groups = List.copyOf(peerGroupCols);
    Dataset<Row> joined = scored;
    List<Column> typicals = new ArrayList<>();
    for (int level = 0; level <= groups.size(); level++) {
      String group = level < groups.size() ? groups.get(level) : null;
      String typical = TYPICAL + level;
      Dataset<Row> medians = typicalValues(scored, group, features, rules.minPeers())
          .withColumnRenamed(TYPICAL, typical);
      if (group == null) {
        joined = joined.join(broadcast(medians), lit(true), "left");
      } else {
        String key = "_peer" + level;
        medians = medians.withColumnRenamed(group, key);
        joined = joined.join(broadcast(medians), joined.col(group).equalTo(medians.col(key)), "left").drop(key);
      }
      typicals.add(col(typical));
    }
    Column level = lit(null).cast(DataTypes.IntegerType);
    Column groupValue = lit(null).cast(DataTypes.StringType);
    for (int i = typicals.size() - 1; i >= 0; i--) {
      level = when(typicals.get(i).isNotNull(), lit(i)).otherwise(level);
      groupValue = when(typicals.get(i).isNotNull(),
          i < groups.size() ? col(groups.get(i)).cast(DataTypes.StringType) : lit(null).cast(DataTypes.StringType))
          .otherwise(groupValue);
    }
    joined = joined.withColumn(TYPICAL, coalesce(typicals.toArray(Column[]::new)))
        .withColumn(PEER_LEVEL, level)
        .withColumn(PEER_VALUE, groupValue)
        .drop(IntStream.rangeClosed(0, groups.size()).mapToObj(i -> TYPICAL + i).toArray(String[]::new));
    Column values = array(features.stream().map(f -> col(f).cast("double")).toArray(Column[]::new));
    List<String> names = List.copyOf(features);
    UDF1<Row, Row> explain = in -> {
      if (in.isNullAt(0)) {
        return RowFactory.create(null, null, null);
      }
      Double[] typical = in.isNullAt(2) ? null : boxed(in.getList(2));
      PeerGroup peers = null;
      if (typical != null) {
        int l = in.getInt(3);
        peers = new PeerGroup(l < groups.size() ? groups.get(l) : null, in.isNullAt(4) ? null : in.getString(4),
            l == 0);
      }
      return reasons(doubles(in.getList(0)), boxed(in.getList(1)), typical, peers, names, labels, rules);
    };
    Column result = udf(explain, RESULT)
        .apply(struct(col(contributionsCol), values, col(TYPICAL), col(PEER_LEVEL), col(PEER_VALUE)));
    return joined.withColumn(OUT, result)
        .withColumn(CustomerScores.CHURN_REASONS, col(OUT + "." + CustomerScores.CHURN_REASONS))
        .withColumn(CustomerScores.CHURN_REASONS_EN, col(OUT + "." + CustomerScores.CHURN_REASONS_EN))
        .withColumn(CustomerScores.CHURN_REASONS_DE, col(OUT + "." + CustomerScores.CHURN_REASONS_DE))
        .drop(OUT, TYPICAL, PEER_LEVEL, PEER_VALUE);
  }

  /**
   * The reasons of one customer: a row of {@link #RESULT}. The strongest contributions above 0 raise
   * the risk, those below 0 lower it, among the features {@link ReasonRules#worthShowing} accepts;
   * equal contributions keep the order of {@code features}. The one-line texts list the raising
   * reasons joined by "; " and are null when nothing raises the risk.
   *
   * @param typical the peer group's medians, or null when no group was large enough
   * @param peers the group {@code typical} comes from; null with {@code typical}
   */
  static Row reasons(double[] contributions, Double[] values, Double[] typical, PeerGroup peers,
      List<String> features, FeatureLabels labels, ReasonRules rules) {
    if (contributions.length != features.size()) {
      throw new IllegalArgumentException("top reasons: " + contributions.length + " contributions but "
          + features.size() + " feature names; pass the columns the feature vector was assembled from, in order");
    }
    // Both languages round alike, so the English texts decide whether value and typical read the same.
    ReasonWording en = labels.wording(Language.EN);
    List<Integer> shown = new ArrayList<>();
    for (int i = 0; i < contributions.length; i++) {
      String feature = features.get(i);
      if (contributions[i] != 0 && !Double.isNaN(contributions[i]) && rules.worthShowing(contributions[i], values[i],
          typical == null ? null : typical[i], labels.label(feature).format(), labels.better(feature), en)) {
        shown.add(i);
      }
    }
    List<Integer> raising = strongest(shown, Comparator.comparingDouble(i -> -contributions[i]), contributions, true);
    List<Integer> lowering = strongest(shown, Comparator.comparingDouble(i -> contributions[i]), contributions, false);
    List<Row> out = new ArrayList<>();
    add(out, raising, Reason.RAISES, contributions, values, typical, peers, features, labels);
    add(out, lowering, Reason.LOWERS, contributions, values, typical, peers, features, labels);
    List<Row> raises = out.subList(0, raising.size());
    String textEn = raises.isEmpty() ? null
        : raises.stream().map(r -> r.getString(r.fieldIndex(Reason.TEXT_EN))).collect(Collectors.joining("; "));
    String textDe = raises.isEmpty() ? null
        : raises.stream().map(r -> r.getString(r.fieldIndex(Reason.TEXT_DE))).collect(Collectors.joining("; "));
    return RowFactory.create(out, textEn, textDe);
  }

  private static List<Integer> strongest(List<Integer> candidates, Comparator<Integer> strongestFirst, double[] c,
      boolean positive) {
    List<Integer> idx = new ArrayList<>();
    for (int i : candidates) {
      if (positive ? c[i] > 0 : c[i] < 0) {
        idx.add(i);
      }
    }
    idx.sort(strongestFirst.thenComparing(Comparator.naturalOrder()));
    return idx.subList(0, Math.min(PER_DIRECTION, idx.size()));
  }

  private static void add(List<Row> out, List<Integer> chosen, String direction, double[] contributions,
      Double[] values, Double[] typical, PeerGroup peers, List<String> features, FeatureLabels labels) {
    for (int rank = 0; rank < chosen.size(); rank++) {
      int i = chosen.get(rank);
      Label label = labels.label(features.get(i));
      Double value = values[i];
      Double usual = typical == null ? null : typical[i];
      out.add(SparkInternals.rowWithSchema(new Object[] {rank + 1, direction,
          features.get(i), contributions[i], value, usual,
          text(label.en(), label.format(), value, usual, peers, labels.wording(Language.EN)),
          text(label.de(), label.format(), value, usual, peers, labels.wording(Language.DE))},
          Reason.SCHEMA));
    }
  }

  /**
   * "orders in the last 90 days: 1 (typical: 6)" in the wording's language; "(typical in industry
   * Retail: 6)" or "(typical among all customers: 6)" when the customer's own group was too small;
   * without a typical value, no brackets. A label with a sentence ({@link ReasonWording#noun}) holds the
   * value itself: "pays 23 days later than a year before (typical: 0 days)".
   */
  static String text(String label, ValueFormat format, Double value, Double typical, PeerGroup peers,
      ReasonWording wording) {
    String reason = phrase(label, format, value, wording);
    if (typical == null) {
      return reason;
    }
    String usual = format.format(typical, wording);
    if (peers == null || peers.finest()) {
      return ReasonWording.fill(wording.reasonWithTypical(), reason, usual);
    }
    return peers.column() == null ? ReasonWording.fill(wording.reasonWithAllTypical(), reason, usual)
        : ReasonWording.fill(wording.reasonWithGroupTypical(), reason, usual,
            wording.peerGroup(peers.column(), peers.value()));
  }

  /** The feature and its value: "orders in the last 90 days: 1", or the label's sentence filled in. */
  private static String phrase(String label, ValueFormat format, Double value, ReasonWording wording) {
    String sentence = value == null || value.isNaN() || value.isInfinite() ? null
        : ReasonWording.sentence(label, value);
    return sentence != null ? ReasonWording.fill(sentence, format.format(Math.abs(value), wording))
        : ReasonWording.fill(wording.reason(), ReasonWording.noun(label), format.format(value, wording));
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

  private static void requireColumns(Dataset<Row> data, List<String> features, List<String> others) {
    List<String> columns = Arrays.asList(data.columns());
    List<String> missing = Stream.concat(others.stream(), features.stream())
        .filter(c -> !columns.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("top reasons: " + missing + " not among the columns " + columns
          + "; the feature names must be the columns the feature vector was assembled from");
    }
  }
}

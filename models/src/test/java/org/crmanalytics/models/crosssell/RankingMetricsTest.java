package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Hit rate, precision@k, recall@k and NDCG@k on lists worked out by hand. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class RankingMetricsTest {
  /**
   * k = 3. c1 lists A B C, adopted B D: hit at rank 2. c2 lists A B C, adopted A: hit at rank 1.
   * c3 lists X Y, adopted Z: none. c4 has no list, adopted A. c5 lists A, adopted nothing: not
   * counted. c6 lists A B C D, adopted D: rank 4 is past k, no hit.
   *
   * <pre>
   *        hits precision recall  DCG                IDCG                     NDCG
   * c1     1    1/3       1/2     1/log2(3) = 0.6309  1 + 1/log2(3) = 1.6309  0.386853
   * c2     1    1/3       1       1                   1                       1
   * c3 c4 c6  0 0         0       0                                           0
   * over 5 customers: hit rate 2/5 = 0.4, precision 2/3/5 = 0.133333, recall 1.5/5 = 0.3,
   * NDCG 1.386853/5 = 0.277371
   * </pre>
   */
  /** Lists graded together in one query get the grades each gets alone; a list without rows gets no hits. */
  @Test
  void listsGradedTogetherGradeAsAlone(SparkSession spark) {
    Dataset<Row> first = ranked(spark, "c1 A 1", "c1 B 2", "c2 A 1", "c3 X 1");
    Dataset<Row> second = ranked(spark, "c1 D 1", "c2 B 1", "c4 A 1");
    Dataset<Row> adopted = pairs(spark, "c1 B", "c1 D", "c2 A", "c3 Z", "c4 A");
    Map<String, RankingMetrics.Metrics> together = RankingMetrics.byList(
        first.withColumn(RankingMetrics.LIST, lit("first"))
            .unionByName(second.withColumn(RankingMetrics.LIST, lit("second"))),
        List.of("first", "second", "empty"), adopted, 2);
    assertEquals(List.of("first", "second", "empty"), List.copyOf(together.keySet()));
    assertEquals(RankingMetrics.of(first, adopted, 2), together.get("first"));
    assertEquals(RankingMetrics.of(second, adopted, 2), together.get("second"));
    RankingMetrics.Metrics empty = together.get("empty");
    assertEquals(4, empty.customers());
    assertEquals(0.0, empty.hitRate());
    assertEquals(0.0, empty.ndcgAtK());
  }

  @Test
  void metricsOfHandComputedLists(SparkSession spark) {
    Dataset<Row> lists = ranked(spark, "c1 A 1", "c1 B 2", "c1 C 3", "c2 A 1", "c2 B 2", "c2 C 3", "c3 X 1", "c3 Y 2",
        "c5 A 1", "c6 A 1", "c6 B 2", "c6 C 3", "c6 D 4");
    Dataset<Row> adopted = pairs(spark, "c1 B", "c1 D", "c2 A", "c3 Z", "c4 A", "c6 D");
    RankingMetrics.Metrics m = RankingMetrics.of(lists, adopted, 3);
    assertEquals(5, m.customers());
    assertEquals(0.4, m.hitRate(), 1e-12);
    assertEquals(2.0 / 3 / 5, m.precisionAtK(), 1e-12);
    assertEquals(0.3, m.recallAtK(), 1e-12);
    double ndcgC1 = (1 / log2(3)) / (1 + 1 / log2(3));
    assertEquals(0.386853, ndcgC1, 1e-6);
    assertEquals((ndcgC1 + 1) / 5, m.ndcgAtK(), 1e-12);
  }

  /** At k = 4, c6's D counts: hit rate 3/5; its NDCG is 1/log2(5) over an ideal of 1. */
  @Test
  void aLongerCutOffCountsLaterHits(SparkSession spark) {
    Dataset<Row> lists = ranked(spark, "c1 A 1", "c1 B 2", "c6 A 1", "c6 B 2", "c6 C 3", "c6 D 4");
    RankingMetrics.Metrics m = RankingMetrics.of(lists, pairs(spark, "c1 B", "c6 D"), 4);
    assertEquals(2, m.customers());
    assertEquals(1.0, m.hitRate(), 1e-12);
    assertEquals((0.25 + 0.25) / 2, m.precisionAtK(), 1e-12);
    assertEquals(((1 / log2(3)) + 1 / log2(5)) / 2, m.ndcgAtK(), 1e-12);
  }

  @Test
  void topKeepsTheHighestScoresAndBreaksTiesByItem(SparkSession spark) {
    StructType schema = new StructType().add("customer_id", DataTypes.StringType).add("item", DataTypes.StringType)
        .add("score", DataTypes.DoubleType);
    Dataset<Row> scored = spark.createDataFrame(List.of(RowFactory.create("c", "B", 0.5), RowFactory.create("c", "A", 0.5),
        RowFactory.create("c", "C", 0.9), RowFactory.create("c", "D", 0.1)), schema);
    assertEquals("{c=C A B}",
        WhiteSpaceTest.lists(RankingMetrics.top(scored, 3, org.apache.spark.sql.functions.col("score"))).toString());
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  static Dataset<Row> ranked(SparkSession spark, String... rows) {
    StructType schema = new StructType().add("customer_id", DataTypes.StringType).add("item", DataTypes.StringType)
        .add(RankingMetrics.RANK, DataTypes.IntegerType);
    return spark.createDataFrame(java.util.Arrays.stream(rows).map(r -> r.split(" "))
        .map(p -> RowFactory.create(p[0], p[1], Integer.parseInt(p[2]))).toList(), schema);
  }

  static Dataset<Row> pairs(SparkSession spark, String... rows) {
    StructType schema = new StructType().add("customer_id", DataTypes.StringType).add("item", DataTypes.StringType);
    return spark.createDataFrame(java.util.Arrays.stream(rows).map(r -> r.split(" "))
        .map(p -> RowFactory.create(p[0], p[1])).toList(), schema);
  }
}

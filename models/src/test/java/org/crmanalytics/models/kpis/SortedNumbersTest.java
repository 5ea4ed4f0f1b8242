package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("spark")
@ExtendWith(SharedSpark.class)
class SortedNumbersTest {
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  private static Dataset<Row> numbers(List<Row> rows, int partitions) {
    StructType schema = new StructType().add("g", DataTypes.StringType).add("x", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema).repartition(partitions);
  }

  @Test
  void ascendingDropsNullsAndSortsAcrossPartitions() {
    List<Row> rows = List.of(RowFactory.create("a", 3.5), RowFactory.create("a", null), RowFactory.create("a", -1.0),
        RowFactory.create("a", 3.5), RowFactory.create("a", 0.25), RowFactory.create("b", null));
    List<Row> out = numbers(rows, 3).groupBy(col("g")).agg(SortedNumbers.ascending(col("x")).as("s"))
        .orderBy(col("g")).collectAsList();
    assertEquals(List.of(-1.0, 0.25, 3.5, 3.5), out.get(0).getList(1));
    assertEquals(List.of(), out.get(1).getList(1), "a group of nulls only gives an empty array, as collect_list");
  }

  @Test
  void concentrationSumsByHand() {
    // Ascending 1, 2, 3, 4, 10: top 20 % of 5 = 1 value (10); 2 * 1 + ... = 1 + 4 + 9 + 16 + 50 = 80.
    List<Row> rows = new ArrayList<>();
    for (double x : new double[] {4, 1, 10, 3, 2}) {
      rows.add(RowFactory.create("a", x));
    }
    Row r = numbers(rows, 2).groupBy(col("g")).agg(SortedNumbers.concentration(col("x"), 20).as("c"))
        .select("c.top", "c.weighted", "c.total", "c.count").first();
    assertArrayEquals(new double[] {10, 80, 20, 5},
        new double[] {r.getDouble(0), r.getDouble(1), r.getDouble(2), r.getDouble(3)});
    // 21 % of 5 is 1.05: rounded up to 2 customers, 4 + 10.
    Row r2 = numbers(rows, 2).groupBy(col("g")).agg(SortedNumbers.concentration(col("x"), 21).as("c"))
        .select("c.top").first();
    assertEquals(14.0, r2.getDouble(0));
  }

  /**
   * The same doubles, bit for bit, as the Spark expressions the aggregate replaced: every sum
   * adds the sorted numbers from the smallest up.
   */
  @Test
  void concentrationEqualsTheCollectingExpressions() {
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      rows.add(RowFactory.create("g" + random.nextInt(7), Math.round(random.nextDouble() * 1e8) / 1e4));
    }
    Dataset<Row> data = numbers(rows, 4);
    int topPercent = 10;
    Column sorted = col("_sorted");
    Column n = size(sorted);
    Column top = ceil(n.multiply(topPercent).divide(100.0)).cast("int");
    List<Row> expected = data.groupBy(col("g")).agg(sort_array(collect_list(col("x"))).as("_sorted"))
        .select(col("g"),
            aggregate(slice(sorted, n.minus(top).plus(1), top), lit(0.0), Column::plus),
            aggregate(functions.transform(sorted, (x, i) -> i.plus(1).multiply(x)), lit(0.0), Column::plus),
            aggregate(sorted, lit(0.0), Column::plus),
            n.cast("double"))
        .orderBy(col("g")).collectAsList();
    List<Row> actual = data.groupBy(col("g")).agg(SortedNumbers.concentration(col("x"), topPercent).as("c"))
        .select(col("g"), col("c.top"), col("c.weighted"), col("c.total"), col("c.count"))
        .orderBy(col("g")).collectAsList();
    assertEquals(expected, actual);
  }
}

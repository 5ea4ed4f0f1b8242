package org.crmanalytics.models.contract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Money's sums on unscaled longs equal Spark's decimal sums to the last digit, and fail rather than wrap. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class MoneyTest {
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  private static Dataset<Row> amounts(String... values) {
    StructType schema = new StructType().add("g", DataTypes.StringType).add("amount", Contract.MONEY);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      rows.add(RowFactory.create(i % 2 == 0 ? "even" : "odd", values[i] == null ? null : new BigDecimal(values[i])));
    }
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void sumsEqualTheDecimalSumsOfSparkPerGroupWithTheSumType() {
    Dataset<Row> in = amounts("0.0001", "-12.3456", "99999999999999.9999", "7", null, "-0.0001", "1234.5678");
    Dataset<Row> out = in.groupBy("g")
        .agg(Money.sum(col("amount")).as("money"), sum(col("amount")).as("spark"),
            Money.sum(when(col("amount").gt(0), col("amount"))).as("positive"))
        .orderBy("g");
    assertEquals(Money.SUM, out.schema().apply("money").dataType());
    List<Row> rows = out.collectAsList();
    assertEquals(new BigDecimal("100000000001234.5678"), rows.get(0).getDecimal(1));
    assertEquals(new BigDecimal("-5.3457"), rows.get(1).getDecimal(1));
    for (Row r : rows) {
      assertEquals(0, r.getDecimal(1).compareTo(r.getDecimal(2)), r.toString());
    }
    assertEquals(new BigDecimal("100000000001234.5678"), rows.get(0).getDecimal(3));
    assertEquals(new BigDecimal("7.0000"), rows.get(1).getDecimal(3));
  }

  @Test
  void noAmountGivesNullAndOtherScalesAreRescaled() {
    Dataset<Row> none = amounts((String) null, null);
    assertNull(none.agg(Money.sum(col("amount"))).first().get(0));
    Row r = spark.range(3).select(lit(new BigDecimal("1.25")).cast("decimal(10,2)").as("a"))
        .agg(Money.sum(col("a")), sum(Money.units(col("a")))).first();
    assertEquals(new BigDecimal("3.7500"), r.getDecimal(0));
    assertEquals(37_500L, r.getLong(1));
  }

  @Test
  void aTotalBeyondALongFailsTheQueryInsteadOfWrapping() {
    // 1,000 amounts of 99,999,999,999,999.9999 sum to 10^17: beyond a long of ten-thousandths.
    Dataset<Row> big = spark.range(1_000).select(lit(new BigDecimal("99999999999999.9999")).cast(Contract.MONEY).as("a"));
    Exception e = assertThrows(Exception.class, () -> big.agg(Money.sum(col("a"))).collect());
    assertTrue(String.valueOf(e.getMessage()).contains("ARITHMETIC_OVERFLOW"), e.getMessage());
  }
}

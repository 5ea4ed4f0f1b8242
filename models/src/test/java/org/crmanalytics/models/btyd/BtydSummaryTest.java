package org.crmanalytics.models.btyd;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.spark.SparkInternals;
import org.crmanalytics.models.spark.SparkInternals.InternalRowView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The per-customer summary on a hand-made log, exact values. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class BtydSummaryTest {
  private static final LocalDate END = LocalDate.of(2025, 3, 31);
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  @Test
  void sameDayPurchasesAreOneAndTheFirstDayIsLeftOutOfMonetary() {
    StructType schema = new StructType().add("cust", DataTypes.StringType).add("when", DataTypes.StringType)
        .add("value", DataTypes.DoubleType);
    // Customer A's rows are scattered over the input partitions and out of date order.
    List<Row> rows = List.of(
        RowFactory.create("A", "2025-01-20", 20.0),
        RowFactory.create("B", "2025-02-01", 99.0),
        RowFactory.create("A", "2025-01-06", 10.0),
        RowFactory.create("A", "2025-03-03 17:45:00", 7.0),
        RowFactory.create("C", "2025-04-01", 50.0), // first purchase after the end: not a customer yet
        RowFactory.create("A", "2025-01-06", 5.0),
        RowFactory.create("A", "2025-04-02", 1000.0), // after the end: not seen
        RowFactory.create("A", "2025-03-03", 3.0),
        RowFactory.create("D", "2025-03-31", null)); // a purchase of no value on the last day
    Dataset<Row> log = spark.createDataFrame(rows, schema).repartition(3);
    Map<String, Row> byCustomer = new HashMap<>();
    for (Row r : BtydSummary.summarize(log, new BtydSummary.LogColumns("cust", "when", "value"), END,
        BtydTimeUnit.WEEKS).collectAsList()) {
      byCustomer.put(r.getString(0), r);
    }
    assertEquals(Map.of("A", 1, "B", 1, "D", 1).keySet(), byCustomer.keySet());
    Row a = byCustomer.get("A");
    assertEquals(2L, a.getLong(1), "x: purchase days after the first (Jan 20, Mar 3)");
    assertEquals(56 / 7.0, a.getDouble(2), 1e-12, "t_x: Jan 6 to Mar 3 is 56 days");
    assertEquals(84 / 7.0, a.getDouble(3), 1e-12, "T: Jan 6 to Mar 31 is 84 days");
    assertEquals((20 + 7 + 3) / 2.0, a.getDouble(4), 1e-12, "monetary: Jan 20 (20) and Mar 3 (7 + 3)");
    Row b = byCustomer.get("B");
    assertEquals(0L, b.getLong(1));
    assertEquals(0.0, b.getDouble(2));
    assertEquals(58 / 7.0, b.getDouble(3), 1e-12);
    assertNull(b.get(4), "no repeat purchase, no monetary");
    Row d = byCustomer.get("D");
    assertEquals(0L, d.getLong(1));
    assertEquals(0.0, d.getDouble(3));
  }

  @Test
  void customersWhoseIdsShareAHashAreSummarisedApart() {
    // (customer_id, day, amount) as the summary's sort hands them over, grouped by a hash that here
    // is the id's first letter: in the first group customers P1 and P2 interleave, out of date order.
    ToLongFunction<UTF8String> firstLetter = id -> id.getByte(0);
    int end = 20_100;
    List<InternalRowView> rows = List.of(
        row("P1", 20_050, 4.0), row("P2", 20_000, 1.0), row("P1", 20_010, 2.0), row("P2", 20_000, 3.0),
        row("P1", 20_050, 6.0), row("P2", 20_093, 8.0), row("R", 20_030, 5.0));
    Map<String, InternalRowView> byCustomer = new HashMap<>();
    new BtydSummary.Summaries(rows.iterator(), firstLetter, end, 7)
        .forEachRemaining(r -> byCustomer.put(r.getUTF8String(0).toString(), r));
    assertEquals(Set.of("P1", "P2", "R"), byCustomer.keySet());
    InternalRowView p1 = byCustomer.get("P1");
    assertEquals(1L, p1.getLong(1), "P1 bought on day 20,010 and 20,050");
    assertEquals(40 / 7.0, p1.getDouble(2), 1e-12);
    assertEquals(90 / 7.0, p1.getDouble(3), 1e-12);
    assertEquals(10.0, p1.getDouble(4), 1e-12, "P1's repeat day: 4 + 6");
    InternalRowView p2 = byCustomer.get("P2");
    assertEquals(1L, p2.getLong(1), "P2's two first-day purchases are one");
    assertEquals(93 / 7.0, p2.getDouble(2), 1e-12);
    assertEquals(100 / 7.0, p2.getDouble(3), 1e-12);
    assertEquals(8.0, p2.getDouble(4), 1e-12);
    InternalRowView r = byCustomer.get("R");
    assertEquals(0L, r.getLong(1));
    assertTrue(r.isNullAt(4));
  }

  @Test
  void theSummaryDoesNotDependOnTheOrderTheTransactionsArriveIn() {
    // Float sums depend on their order: (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3). Every order of the
    // same transactions must give the same bits, or a model's fingerprint would change from run to run.
    List<InternalRowView> rows = List.of(row("A", 20_000, 5.0), row("A", 20_010, 0.1), row("A", 20_011, 0.2),
        row("A", 20_012, 0.3));
    Set<Long> monetaryBits = new java.util.HashSet<>();
    int[][] orders = {{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}, {1, 3, 0, 2}, {0, 3, 1, 2}, {2, 1, 3, 0}};
    for (int[] order : orders) {
      List<InternalRowView> arriving = java.util.Arrays.stream(order).mapToObj(rows::get).toList();
      InternalRowView summary = new BtydSummary.Summaries(arriving.iterator(), id -> 1, 20_100, 7).next();
      assertEquals(3L, summary.getLong(1));
      assertEquals(0.2, summary.getDouble(4), 1e-15);
      monetaryBits.add(Double.doubleToRawLongBits(summary.getDouble(4)));
    }
    assertEquals(1, monetaryBits.size(), "one monetary value, bit for bit, whatever the order");
  }

  @Test
  void theGroupingHashIsTheOneSparkSortsBy() {
    Dataset<Row> ids = spark.createDataFrame(
        List.of(RowFactory.create("C1"), RowFactory.create("Kunde-Ä 42"), RowFactory.create(""),
            RowFactory.create((Object) null)),
        new StructType().add("id", DataTypes.StringType));
    for (Row r : ids.select(col("id"), xxhash64(col("id"))).collectAsList()) {
      UTF8String id = r.isNullAt(0) ? null : UTF8String.fromString(r.getString(0));
      assertEquals(r.getLong(1) & 0x7FFFFFFFL, BtydSummary.Summaries.sortKey(id), "hash of " + r.get(0));
    }
  }

  private static InternalRowView row(String customer, int day, double amount) {
    return SparkInternals.internalRow(UTF8String.fromString(customer), day, amount);
  }
}

package org.crmanalytics.models.btyd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.contract.Contract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** From sales lines to BTYD transactions and summary: orders, returns, same-day orders, as_of. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class CustomerLifetimeValueTest {
  private static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  /** A sales line in the contract's schema, in its column order. */
  private static Row line(String order, int lineNo, String customer, String date, String amount, String type,
      String original) {
    Object[] v = new Object[Contract.Sales.TABLE.schema().size()];
    List<String> names = List.of(Contract.Sales.TABLE.schema().fieldNames());
    v[names.indexOf(Contract.Sales.ORDER_ID)] = order;
    v[names.indexOf(Contract.Sales.LINE_NO)] = lineNo;
    v[names.indexOf(Contract.Sales.CUSTOMER_ID)] = customer;
    v[names.indexOf(Contract.Sales.ORDER_DATE)] = Date.valueOf(date);
    StructField money = Contract.Sales.TABLE.schema().apply(Contract.Sales.NET_AMOUNT);
    v[names.indexOf(Contract.Sales.NET_AMOUNT)] = new BigDecimal(amount)
        .setScale(((org.apache.spark.sql.types.DecimalType) money.dataType()).scale());
    v[names.indexOf(Contract.Sales.LINE_TYPE)] = type;
    v[names.indexOf(Contract.Sales.ORIGINAL_ORDER_ID)] = original;
    return RowFactory.create(v);
  }

  private static Dataset<Row> sales(Row... rows) {
    return spark.createDataFrame(List.of(rows), Contract.Sales.TABLE.schema());
  }

  @Test
  void ordersNetTheirReturnsAndDropWhatIsNotAPurchase() {
    Dataset<Row> s = sales(
        line("O1", 1, "K1", "2025-01-10", "100.00", "order", null),
        line("O1", 2, "K1", "2025-01-10", "-10.00", "order", null), // discount line inside the order
        line("R1", 1, "K1", "2025-01-20", "-30.00", "return", "O1"), // partial return of O1
        line("O2", 1, "K1", "2025-02-01", "50.00", "order", null),
        line("R2", 1, "K1", "2025-02-05", "-50.00", "return", "O2"), // O2 fully returned: no purchase
        line("O3", 1, "K2", "2025-03-01", "20.00", "order", null),
        line("R3", 1, "K2", "2025-03-02", "-5.00", "return", null), // unattributed return: left out
        line("O4", 1, "K2", "2025-07-01", "99.00", "order", null), // after as_of: not seen
        line("R4", 1, "K2", "2025-07-02", "-20.00", "return", "O3")); // return after as_of: not seen
    List<String> orders = CustomerLifetimeValue.orders(s, AS_OF).orderBy("customer_id", "order_date").collectAsList()
        .stream().map(r -> r.getString(0) + " " + r.getDate(1) + " " + r.getDouble(2)).toList();
    assertEquals(List.of("K1 2025-01-10 60.0", "K2 2025-03-01 20.0"), orders);
  }

  @Test
  void sameDayOrdersAreOneTransactionAndTheFirstIsLeftOutOfMonetary() {
    Dataset<Row> s = sales(
        line("O1", 1, "K1", "2025-01-01", "10.00", "order", null),
        line("O2", 1, "K1", "2025-01-15", "20.00", "order", null),
        line("O3", 1, "K1", "2025-01-15", "30.00", "order", null),
        line("O4", 1, "K1", "2025-03-12", "40.00", "order", null),
        line("O5", 1, "K2", "2025-06-30", "70.00", "order", null));
    ClvSettings settings = ClvSettings.defaults(AS_OF);
    List<Row> rows = CustomerLifetimeValue.summary(s, settings).orderBy("customer_id").collectAsList();
    Row k1 = rows.get(0);
    assertEquals(2L, k1.getLong(1), "K1: two repeat purchase days");
    assertEquals(70 / 7.0, k1.getDouble(2), 1e-12, "K1 t_x: 2025-01-01 to 2025-03-12 = 70 days");
    assertEquals(180 / 7.0, k1.getDouble(3), 1e-12, "K1 T: 2025-01-01 to 2025-06-30 = 180 days");
    assertEquals((50 + 40) / 2.0, k1.getDouble(4), 1e-12, "K1 monetary: mean of the repeat days 50 and 40");
    Row k2 = rows.get(1);
    assertEquals(0L, k2.getLong(1));
    assertEquals(0.0, k2.getDouble(3), "K2 first bought on as_of");
    assertEquals(true, k2.isNullAt(4), "no repeat purchase, no monetary");
  }
}

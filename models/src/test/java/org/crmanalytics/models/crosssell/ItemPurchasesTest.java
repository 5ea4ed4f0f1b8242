package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.Contract.Sales;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a customer bought in a window does not depend on the order its lines arrive in. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ItemPurchasesTest {
  private static final LocalDate T = LocalDate.of(2025, 12, 31);

  /**
   * A large order, ten small lines and the large order returned: 0.001 net. Summed as doubles
   * the result depends on the order (10^13 + 0.0001 is 10^13 in a double); as decimals it is exact.
   */
  @Test
  void spendIsTheSameWhateverThePartitioning(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    rows.add(line("o1", "10000000000000"));
    for (int i = 0; i < 10; i++) {
      rows.add(line("s" + i, "0.0001"));
    }
    rows.add(line("r1", "-10000000000000"));
    StructType schema = new StructType().add(Sales.CUSTOMER_ID, DataTypes.StringType).add(Sales.ORDER_ID, DataTypes.StringType)
        .add(Sales.ORDER_DATE, DataTypes.DateType).add(Sales.LINE_TYPE, DataTypes.StringType)
        .add(Sales.NET_AMOUNT, Contract.MONEY).add(Sales.PRODUCT_ID, DataTypes.StringType);
    Dataset<Row> sales = spark.createDataFrame(rows, schema);
    List<Row> reversed = new ArrayList<>(rows);
    Collections.reverse(reversed);
    for (Dataset<Row> arrangement : List.of(sales.coalesce(1), spark.createDataFrame(reversed, schema).coalesce(1),
        sales.repartition(5, col(Sales.ORDER_ID)))) {
      Row bought = ItemPurchases.of(ItemPurchases.lines(arrangement, null, Sales.PRODUCT_ID)).boughtBefore(T, 12).first();
      assertEquals(0.001, bought.getDouble(bought.fieldIndex(ItemPurchases.SPEND)), 0.0, "exactly 0.001");
    }
  }

  private static Row line(String order, String amount) {
    return RowFactory.create("C1", order, Date.valueOf(T.minusDays(10)), Sales.TYPE_ORDER, new BigDecimal(amount), "P1");
  }
}

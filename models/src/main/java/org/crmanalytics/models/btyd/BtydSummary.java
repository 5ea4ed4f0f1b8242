package org.crmanalytics.models.btyd;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The per-customer BTYD summary of a transaction log at a calibration end date:
 * x = repeat purchases (purchase days after the first; same-day purchases are one),
 * t_x = time from the first to the last purchase, T = time from the first purchase to the
 * calibration end, monetary = mean value of the repeat purchase days (the first is left out, as
 * Gamma-Gamma in Fader, Hardie and Lee 2005 and lifetimes' summary_data_from_transaction_data do);
 * null when x = 0. Times are in the given unit. Transactions after the calibration end are not
 * seen; customers whose first purchase is after it are not in the summary.
 */
public final class BtydSummary {
  public static final String CUSTOMER_ID = "customer_id";
  public static final String X = "x";
  public static final String T_X = "t_x";
  public static final String T = "T";
  public static final String MONETARY = "monetary";

  public static final StructType SCHEMA = new StructType()
      .add(CUSTOMER_ID, DataTypes.StringType, true)
      .add(X, DataTypes.LongType, true)
      .add(T_X, DataTypes.DoubleType, true)
      .add(T, DataTypes.DoubleType, true)
      .add(MONETARY, DataTypes.DoubleType, true);

  private BtydSummary() {}

  /** Which columns of the log hold what. The date column may be a date, a timestamp or an ISO string. */
  public record LogColumns(String customerId, String date, String amount) {}

  public static Dataset<Row> summarize(Dataset<Row> log, LogColumns columns, LocalDate calibrationEnd,
      BtydTimeUnit unit) {
    for (String c : new String[] {columns.customerId(), columns.date(), columns.amount()}) {
      if (!java.util.Arrays.asList(log.columns()).contains(c)) {
        throw new IllegalArgumentException("the transaction log has no column " + c + "; it has "
            + String.join(", ", log.columns()));
      }
    }
    Column end = to_date(lit(calibrationEnd.toString()));
    // Hash-partitioned by customer once, both aggregations below (by customer and day, then by
    // customer) run without a second shuffle: the partitioning satisfies both groupings.
    Dataset<Row> days = log
        .select(col(columns.customerId()).cast("string").as(CUSTOMER_ID),
            to_date(col(columns.date())).as("day"),
            col(columns.amount()).cast("double").as("amount"))
        .filter(col("day").leq(end))
        .repartition(col(CUSTOMER_ID))
        .groupBy(col(CUSTOMER_ID), col("day"))
        .agg(sum(col("amount")).as("amount"));
    Dataset<Row> perCustomer = days.groupBy(col(CUSTOMER_ID)).agg(
        min(col("day")).as("first"),
        max(col("day")).as("last"),
        count(lit(1)).as("days"),
        sum(col("amount")).as("total"),
        min_by(col("amount"), col("day")).as("first_amount"));
    double unitDays = unit.days();
    Column x = col("days").minus(1);
    return perCustomer.select(
        col(CUSTOMER_ID),
        x.cast("long").as(X),
        datediff(col("last"), col("first")).divide(unitDays).cast("double").as(T_X),
        datediff(end, col("first")).divide(unitDays).cast("double").as(T),
        when(x.gt(0), col("total").minus(col("first_amount")).divide(x)).cast("double").as(MONETARY));
  }
}

package org.crmanalytics.models.churn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.contract.Contract.Sales;

/**
 * The churn label of every customer in the population at snapshot date D. An order is a sales
 * line with a positive net amount: returns and credit notes are not a sign of buying.
 */
public final class ChurnLabels {
  public static final String LABEL = ClassifierTrainer.LABEL;
  /** The churn model's output column. */
  public static final String PROBABILITY = "churn_probability";

  private ChurnLabels() {}

  /**
   * customer_id and label (1.0 churned, 0.0 stayed) for customers with an order in
   * (D − active months, D]; reads only the sales up to the end of the label window.
   */
  public static Dataset<Row> label(Dataset<Row> sales, LocalDate snapshot, ChurnDefinition definition) {
    Column date = col(Sales.ORDER_DATE);
    Column active = date.gt(lit(definition.activeStart(snapshot))).and(date.leq(lit(snapshot)));
    Column future = date.gt(lit(snapshot)).and(date.leq(lit(definition.labelEnd(snapshot))));
    return sales
        .filter(col(Sales.NET_AMOUNT).gt(0).and(date.gt(lit(definition.activeStart(snapshot))))
            .and(date.leq(lit(definition.labelEnd(snapshot)))))
        .groupBy(col(Sales.CUSTOMER_ID))
        .agg(max(when(active, 1).otherwise(0)).as("_active"), max(when(future, 1).otherwise(0)).as("_stayed"))
        .filter(col("_active").equalTo(1))
        .select(col(Sales.CUSTOMER_ID), when(col("_stayed").equalTo(1), 0.0).otherwise(1.0).as(LABEL));
  }
}

package org.crmanalytics.models.churn;

import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.classify.TimeSplit;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * Labelled snapshots: for each date D the customer snapshot as of D (only data known at D), the
 * point-in-time extras (BTYD outputs fitted on data up to D), and the label from (D, D + horizon].
 * Only customers in the population at D (an order in the active window) are rows.
 */
public final class ChurnTrainingSet {
  public static final String SNAPSHOT_DATE = TimeSplit.SNAPSHOT_DATE;

  private ChurnTrainingSet() {}

  /** Features computed as of a date from data up to that date; customer_id plus feature columns. */
  @FunctionalInterface
  public interface PointInTimeFeatures {
    Dataset<Row> asOf(LocalDate date);
  }

  /** The rows of one snapshot date, without label: what scoring at D sees. {@code extra} may be null. */
  public static Dataset<Row> features(Map<String, Dataset<Row>> silver, LocalDate date,
      CustomerSnapshot.Settings settings, PointInTimeFeatures extra) {
    Dataset<Row> rows = CustomerSnapshot.transform(silver, date, settings);
    if (extra != null) {
      Dataset<Row> x = extra.asOf(date);
      rows = rows.join(x, new String[] {CustomerSnapshot.CUSTOMER_ID}, "left");
    }
    return rows.withColumn(SNAPSHOT_DATE, lit(date));
  }

  /** The labelled rows of one snapshot date: its features and the label from (D, D + horizon]. */
  public static Dataset<Row> labelled(Map<String, Dataset<Row>> silver, LocalDate date,
      CustomerSnapshot.Settings settings, ChurnDefinition definition, PointInTimeFeatures extra) {
    Dataset<Row> labels = ChurnLabels.label(silver.get(Contract.Sales.NAME), date, definition);
    return features(silver, date, settings, extra).join(labels, CustomerSnapshot.CUSTOMER_ID);
  }
}

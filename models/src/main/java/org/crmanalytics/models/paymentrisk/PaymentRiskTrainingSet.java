package org.crmanalytics.models.paymentrisk;

import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.crmanalytics.models.classify.ModelFeatures;
import org.crmanalytics.models.classify.TimeSplit;
import org.crmanalytics.models.contract.Contract.Invoices;
import org.crmanalytics.models.payments.PaymentDefaultLabels;
import org.crmanalytics.models.payments.Receivables;

/**
 * Labelled receivables snapshots: for each date D the customers' receivables features at D
 * ({@link Receivables#customersAt}, only data dated by D) and the payment-default label from
 * (D, D + horizon] ({@link PaymentDefaultLabels#label}). Rows are the customers of the label's
 * population: recently invoiced or with open receivables, not in default at D.
 */
public final class PaymentRiskTrainingSet {
  public static final String SNAPSHOT_DATE = TimeSplit.SNAPSHOT_DATE;
  /** The payment-default model's output column. */
  public static final String PROBABILITY = "default_probability";

  /** Dunning features: point in time only with dated dunning notices. */
  private static final Set<String> DUNNING = Set.of(Receivables.DUNNING_LEVEL_MAX, Receivables.DUNNING_NOTICES_12M);

  private PaymentRiskTrainingSet() {}

  /**
   * The model's features: every numeric receivables feature; the dunning level and notices only
   * when they are dated ({@code datedDunning}), because the undated invoices.dunning_level shows a
   * past snapshot the reminders sent after it, and a model trained on that leak would not hold.
   */
  public static ModelFeatures modelFeatures(boolean datedDunning) {
    List<String> names = new ArrayList<>();
    for (StructField f : Receivables.CUSTOMER_SCHEMA.fields()) {
      if (!f.name().equals(Invoices.CUSTOMER_ID) && (datedDunning || !DUNNING.contains(f.name()))) {
        names.add(f.name());
      }
    }
    return new ModelFeatures(names);
  }

  /** The rows of one snapshot date, without label: what scoring at D sees. */
  public static Dataset<Row> features(Map<String, Dataset<Row>> silver, LocalDate date, PaymentRiskSettings settings) {
    return Receivables.customersAt(silver, date, settings.receivables()).withColumn(SNAPSHOT_DATE, lit(date));
  }

  /** The labelled rows of one snapshot date; the silver must reach the end of its label window. */
  public static Dataset<Row> labelled(Map<String, Dataset<Row>> silver, LocalDate date, PaymentRiskSettings settings) {
    Dataset<Row> labels = PaymentDefaultLabels.label(silver, date, settings.definition());
    return features(silver, date, settings).join(labels, Invoices.CUSTOMER_ID);
  }
}

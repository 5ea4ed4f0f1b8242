package org.crmanalytics.models.payments;

import static org.apache.spark.sql.functions.col;
import static org.crmanalytics.models.payments.ReceivablesFixture.D;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.classify.ModelFeatures;
import org.crmanalytics.models.classify.TimeSplit;
import org.crmanalytics.models.paymentrisk.PaymentRiskSettings;
import org.crmanalytics.models.paymentrisk.PaymentRiskTrainingSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The payment-default model's rows: who is scored, who is labelled, and that nothing after D leaks in. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class PaymentRiskTrainingSetTest {
  private static final PaymentRiskSettings SETTINGS = new PaymentRiskSettings(PaymentDefaultDefinition.DEFAULT,
      ReceivablesSettings.DEFAULT, 2, 3, 0, org.crmanalytics.models.classify.ClassifierTrainer.Settings.DEFAULTS,
      org.crmanalytics.models.evaluation.PromotionRule.DEFAULT, 0.3, 0.1, List.of(),
      org.crmanalytics.models.explain.ReasonRules.DEFAULT);

  @Test
  void thePopulationIsRecentlyInvoicedOrOpenWithThoseInDefaultMarked(SparkSession spark) {
    // C3 has only a credit note; C9 nothing by D. C1 and C4 are in default at D (PaymentDefaultLabelsTest).
    Map<String, String> got = ReceivablesTest.rows(
        PaymentDefaultLabels.populationAt(ReceivablesFixture.known(spark), D, PaymentDefaultDefinition.DEFAULT));
    assertEquals(Map.of("C1", "in_default=true", "C2", "in_default=false", "C4", "in_default=true",
        "C5", "in_default=false", "C6", "in_default=false", "C8", "in_default=false"), got);
  }

  @Test
  void theTrainingRowsAreTheLabelledPopulationWithTheirReceivablesAtD(SparkSession spark) {
    Dataset<Row> set = PaymentRiskTrainingSet.labelled(ReceivablesFixture.withFuture(spark), D, SETTINGS);
    Map<String, String> labels = new TreeMap<>();
    for (Row r : set.select(col("customer_id"), col("label"), col(TimeSplit.SNAPSHOT_DATE).cast("string"),
        col(Receivables.OPEN_RECEIVABLES).cast("string")).collectAsList()) {
      labels.put(r.getString(0), r.getDouble(1) + " " + r.getString(2) + " " + r.getString(3));
    }
    // C5 and C8 default within six months (PaymentDefaultLabelsTest); C5's L1 is 500 open at D.
    assertEquals(Map.of("C2", "0.0 2025-06-30 50.0000", "C5", "1.0 2025-06-30 500.0000",
        "C6", "0.0 2025-06-30 500.0000", "C8", "1.0 2025-06-30 80.0000"), labels);
  }

  @Test
  void rowsDatedAfterDChangeNoFeatureAtD(SparkSession spark) {
    ModelFeatures features = PaymentRiskTrainingSet.modelFeatures(true);
    List<String> columns = new java.util.ArrayList<>(List.of("customer_id"));
    columns.addAll(features.names());
    Dataset<Row> known = PaymentRiskTrainingSet.features(ReceivablesFixture.known(spark), D, SETTINGS)
        .selectExpr(columns.toArray(String[]::new));
    Dataset<Row> withFuture = PaymentRiskTrainingSet.features(ReceivablesFixture.withFuture(spark), D, SETTINGS)
        .selectExpr(columns.toArray(String[]::new));
    assertEquals(ReceivablesTest.rows(known), ReceivablesTest.rows(withFuture.join(known.select("customer_id"),
        "customer_id")));
    assertTrue(known.count() >= 6);
  }

  @Test
  void theAllocationComputedOnceGivesTheSameRowsAsComputedEachTime(SparkSession spark) {
    Map<String, Dataset<Row>> silver = ReceivablesFixture.withFuture(spark);
    Map<String, Dataset<Row>> once = Receivables.withAllocation(silver);
    try {
      assertEquals(ReceivablesTest.rows(PaymentRiskTrainingSet.labelled(silver, D, SETTINGS)),
          ReceivablesTest.rows(PaymentRiskTrainingSet.labelled(once, D, SETTINGS)));
      assertEquals(ReceivablesTest.rows(Receivables.invoicesAt(silver, D)),
          ReceivablesTest.rows(Receivables.invoicesAt(once, D)));
    } finally {
      Receivables.release(once);
    }
  }

  @Test
  void dunningFeaturesAreUsedOnlyWhenTheyAreDated() {
    assertTrue(PaymentRiskTrainingSet.modelFeatures(true).names().contains(Receivables.DUNNING_LEVEL_MAX));
    List<String> undated = PaymentRiskTrainingSet.modelFeatures(false).names();
    assertFalse(undated.contains(Receivables.DUNNING_LEVEL_MAX), undated::toString);
    assertFalse(undated.contains(Receivables.DUNNING_NOTICES_12M), undated::toString);
    assertTrue(undated.containsAll(List.of(Receivables.MAX_DAYS_PAST_DUE, Receivables.SKONTO_CHANGE,
        Receivables.EXPOSURE, Receivables.CREDIT_LIMIT_UTILISATION)), undated::toString);
  }
}

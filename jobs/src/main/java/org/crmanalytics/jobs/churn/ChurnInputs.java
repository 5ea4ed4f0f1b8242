package org.crmanalytics.jobs.churn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.jobs.features.FeaturesStage;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.churn.ChurnTrainingSet.PointInTimeFeatures;

/** What training and scoring read: the snapshot's silver tables and the BTYD outputs at a date. */
final class ChurnInputs {
  static final String P_ALIVE = "p_alive";
  static final String BTYD_EXPECTED_ORDERS = "btyd_expected_orders";
  static final List<String> BTYD_FEATURES = List.of(P_ALIVE, BTYD_EXPECTED_ORDERS);

  private ChurnInputs() {}

  static Map<String, Dataset<Row>> silver(RunContext ctx, String stage) {
    List<String> absent = new ArrayList<>();
    Map<String, Dataset<Row>> silver = FeaturesStage.snapshotInputs(ctx, stage, absent);
    if (!absent.isEmpty()) {
      ctx.console().detail(stage + ": no data for " + String.join(", ", absent) + " (features null)");
    }
    return silver;
  }

  static PointInTimeFeatures btydFeatures(RunContext ctx) {
    throw new UnsupportedOperationException("wired to the clv stage's BTYD fit");
  }
}

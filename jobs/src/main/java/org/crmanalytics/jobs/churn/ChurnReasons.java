package org.crmanalytics.jobs.churn;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.jobs.classify.ModelExplanations;
import org.crmanalytics.jobs.classify.ReasonWordings;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.models.churn.ChurnLabels;
import org.crmanalytics.models.churn.ChurnSettings;
import org.crmanalytics.models.classify.ModelFeatures;
import org.crmanalytics.models.explain.FeatureLabels;
import org.crmanalytics.models.explain.FeatureLabels.Better;
import org.crmanalytics.models.explain.ValueFormat;

/** The churn reasons: the snapshot's features and the churn stage's own, typical within the peer groups of churn.segment_by. */
final class ChurnReasons {
  private ChurnReasons() {}

  /** The features' labels, amounts in {@code currency} (an ISO 4217 code). */
  static FeatureLabels labels(String currency) {
    return ReasonWordings.snapshotLabels(currency)
        .with(ChurnInputs.P_ALIVE, ValueFormat.PERCENT, Better.HIGHER)
        .with(ChurnInputs.BTYD_EXPECTED_ORDERS, ValueFormat.NUMBER, Better.HIGHER);
  }

  static Dataset<Row> explain(Dataset<Row> scored, ModelStore.StoredModel model, ModelFeatures features,
      ChurnSettings cfg, Dataset<Row> raw, String currency) {
    return ModelExplanations.explain(ChurnStage.NAME, scored, ChurnLabels.PROBABILITY, model, features.names(), raw,
        cfg.peerGroups(), cfg.reasons(), labels(currency));
  }
}

package org.crmanalytics.jobs.churn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.models.churn.ChurnLabels;
import org.crmanalytics.models.churn.ChurnSettings;
import org.crmanalytics.models.classify.ModelFeatures;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.explain.AdditiveExplainer;
import org.crmanalytics.models.explain.FeatureContributions;
import org.crmanalytics.models.explain.FeatureLabels;
import org.crmanalytics.models.explain.LogisticRegressionExplainer;
import org.crmanalytics.models.explain.TopReasons;
import org.crmanalytics.models.explain.TreeEnsembleExplainer;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * Per customer, the features that raise and lower the churn risk most: exact additive
 * contributions to the model's margin (TreeSHAP for the trees, coefficient × centred value for
 * logistic regression), shown with the customer's own value, not the filled-in one, and the
 * median of the customer's segment.
 */
final class ChurnReasons {
  static final String CONTRIBUTIONS = "_contributions";
  private static final String SEGMENT = "_reason_segment";
  static final FeatureLabels LABELS = ReasonWordings.labels();

  private ChurnReasons() {}

  /** The explainer of the model's classifier stage (the pipeline's second stage). */
  static AdditiveExplainer explainer(ModelStore.StoredModel model) {
    Transformer classifier = model.pipeline().stages()[1];
    if (classifier instanceof GBTClassificationModel gbt) {
      return TreeEnsembleExplainer.of(gbt);
    }
    if (classifier instanceof LogisticRegressionModel lr) {
      JsonNode means = model.metadata().path("feature_means");
      double[] m = model.features().stream().mapToDouble(f -> means.path(f).asDouble(Double.NaN)).toArray();
      for (int i = 0; i < m.length; i++) {
        if (Double.isNaN(m[i])) {
          throw new IllegalStateException("churn model " + model.version() + ": metadata.json has no training mean "
              + "for " + model.features().get(i) + "; train a new model");
        }
      }
      return LogisticRegressionExplainer.of(lr, Vectors.dense(m));
    }
    throw new IllegalStateException("churn model " + model.version() + ": cannot explain a "
        + classifier.getClass().getSimpleName());
  }

  /**
   * {@code scored} (the model's output on prepared rows) with the reason columns; {@code raw} holds
   * the same customers with their feature values before missing ones were filled in.
   */
  static Dataset<Row> explain(Dataset<Row> scored, ModelStore.StoredModel model, ModelFeatures features,
      ChurnSettings cfg, Dataset<Row> raw) {
    List<String> names = features.names();
    Dataset<Row> withContributions = FeatureContributions.withContributions(scored, ClassifierTrainer.FEATURES,
        CONTRIBUTIONS, explainer(model))
        .select(col(CustomerSnapshot.CUSTOMER_ID), col(ChurnLabels.PROBABILITY), col(CONTRIBUTIONS));
    List<Column> rawColumns = new ArrayList<>();
    rawColumns.add(col(CustomerSnapshot.CUSTOMER_ID));
    rawColumns.add((cfg.segmentBy().equals("none") ? lit("all") : col(cfg.segmentBy())).as(SEGMENT));
    names.forEach(n -> rawColumns.add(col(n)));
    Dataset<Row> rawValues = raw.select(rawColumns.toArray(Column[]::new));
    Dataset<Row> joined = withContributions.join(rawValues, CustomerSnapshot.CUSTOMER_ID);
    return TopReasons.withReasons(joined, CONTRIBUTIONS, SEGMENT, names, LABELS);
  }
}

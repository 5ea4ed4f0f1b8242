package org.crmanalytics.jobs.classify;

import static org.apache.spark.sql.functions.col;

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
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.explain.AdditiveExplainer;
import org.crmanalytics.models.explain.FeatureContributions;
import org.crmanalytics.models.explain.FeatureLabels;
import org.crmanalytics.models.explain.LogisticRegressionExplainer;
import org.crmanalytics.models.explain.ReasonRules;
import org.crmanalytics.models.explain.TopReasons;
import org.crmanalytics.models.explain.TreeEnsembleExplainer;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * Per customer, the features that raise and lower a risk model's probability most: exact additive
 * contributions to the model's margin (TreeSHAP for the trees, coefficient × centred value for
 * logistic regression), shown with the customer's own value, not the filled-in one, and the median
 * of the customer's peer group. The reasons come out in TopReasons' columns (churn_reasons, _en, _de).
 */
public final class ModelExplanations {
  private static final String CONTRIBUTIONS = "_contributions";

  private ModelExplanations() {}

  /** The explainer of the model's classifier stage (the pipeline's second stage). */
  public static AdditiveExplainer explainer(String modelName, ModelStore.StoredModel model) {
    Transformer classifier = model.pipeline().stages()[1];
    if (classifier instanceof GBTClassificationModel gbt) {
      return TreeEnsembleExplainer.of(gbt);
    }
    if (classifier instanceof LogisticRegressionModel lr) {
      JsonNode means = model.metadata().path("feature_means");
      double[] m = model.features().stream().mapToDouble(f -> means.path(f).asDouble(Double.NaN)).toArray();
      for (int i = 0; i < m.length; i++) {
        if (Double.isNaN(m[i])) {
          throw new IllegalStateException(modelName + " model " + model.version() + ": metadata.json has no training "
              + "mean for " + model.features().get(i) + "; train a new model");
        }
      }
      return LogisticRegressionExplainer.of(lr, Vectors.dense(m));
    }
    throw new IllegalStateException(modelName + " model " + model.version() + ": cannot explain a "
        + classifier.getClass().getSimpleName());
  }

  /**
   * {@code scored} (the model's output on prepared rows) with the reason columns; {@code raw} holds
   * the same customers with their feature values before missing ones were filled in, and the
   * peer-group columns {@code peerGroups} (finest first, all customers after them) whose medians
   * say what is typical.
   */
  public static Dataset<Row> explain(String modelName, Dataset<Row> scored, String probability,
      ModelStore.StoredModel model, List<String> features, Dataset<Row> raw, List<String> peerGroups,
      ReasonRules rules, FeatureLabels labels) {
    Dataset<Row> withContributions = FeatureContributions.withContributions(scored, ClassifierTrainer.FEATURES,
        CONTRIBUTIONS, explainer(modelName, model))
        .select(col(CustomerSnapshot.CUSTOMER_ID), col(probability), col(CONTRIBUTIONS));
    List<Column> rawColumns = new ArrayList<>();
    rawColumns.add(col(CustomerSnapshot.CUSTOMER_ID));
    peerGroups.stream().filter(g -> !features.contains(g)).forEach(g -> rawColumns.add(col(g)));
    features.forEach(n -> rawColumns.add(col(n)));
    Dataset<Row> rawValues = raw.select(rawColumns.toArray(Column[]::new));
    Dataset<Row> joined = withContributions.join(rawValues, CustomerSnapshot.CUSTOMER_ID);
    return TopReasons.withReasons(joined, CONTRIBUTIONS, peerGroups, features, labels, rules);
  }
}

package org.crmanalytics.models.explain;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The exact SHAP values of a linear model with independent features (Lundberg and Lee 2017):
 * {@code coefficient × (value − training mean)}; the bias is {@code intercept + Σ coefficient ×
 * mean}, so bias + contributions = the margin {@code intercept + Σ coefficient × value}, which is
 * MLlib's {@code rawPrediction[1]} of a binary logistic regression.
 */
public final class LogisticRegressionExplainer implements AdditiveExplainer {
  private static final long serialVersionUID = 1L;

  private final double[] coefficients;
  private final double[] means;
  private final double intercept;
  private final double expectedValue;

  private LogisticRegressionExplainer(double[] coefficients, double intercept, double[] means) {
    if (coefficients.length != means.length) {
      throw new IllegalArgumentException("the model has " + coefficients.length + " coefficients but "
          + means.length + " feature means were given");
    }
    this.coefficients = coefficients.clone();
    this.means = means.clone();
    this.intercept = intercept;
    double e = intercept;
    for (int i = 0; i < coefficients.length; i++) {
      e += coefficients[i] * means[i];
    }
    this.expectedValue = e;
  }

  /** With the feature means of the training data, computed by Spark (one aggregation). */
  public static LogisticRegressionExplainer fit(LogisticRegressionModel model, Dataset<Row> training,
      String featuresCol) {
    Vector means = (Vector) training.select(Summarizer.mean(col(featuresCol))).first().get(0);
    return of(model, means);
  }

  public static LogisticRegressionExplainer of(LogisticRegressionModel model, Vector trainingMeans) {
    if (model.numClasses() != 2) {
      throw new IllegalArgumentException("logistic regression " + model.uid() + " has " + model.numClasses()
          + " classes; the churn explanation needs a binary model");
    }
    return new LogisticRegressionExplainer(model.coefficients().toArray(), model.intercept(), trainingMeans.toArray());
  }

  @Override
  public int numFeatures() {
    return coefficients.length;
  }

  @Override
  public double expectedValue() {
    return expectedValue;
  }

  @Override
  public double[] contributions(Vector features) {
    double[] x = checked(features);
    double[] phi = new double[coefficients.length];
    for (int i = 0; i < phi.length; i++) {
      phi[i] = coefficients[i] * (x[i] - means[i]);
    }
    return phi;
  }

  @Override
  public double margin(Vector features) {
    double[] x = checked(features);
    double m = intercept;
    for (int i = 0; i < x.length; i++) {
      m += coefficients[i] * x[i];
    }
    return m;
  }

  private double[] checked(Vector features) {
    if (features.size() != coefficients.length) {
      throw new IllegalArgumentException("the feature vector has " + features.size() + " values, the model "
          + coefficients.length + "; explain with the vector the model was fitted on");
    }
    return features.toArray();
  }
}

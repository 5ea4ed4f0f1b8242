package org.crmanalytics.models.explain;

import java.io.Serializable;
import org.apache.spark.ml.linalg.Vector;

/**
 * Splits a model's margin for one row into one contribution per feature plus a constant:
 * {@code expectedValue() + sum(contributions(x)) == margin(x)}. Serializable so that it can be
 * broadcast to the executors (see {@link FeatureContributions}).
 */
public interface AdditiveExplainer extends Serializable {
  int numFeatures();

  /** The margin of a row about which nothing is known (the bias). */
  double expectedValue();

  /** One value per feature, in the order of the feature vector. */
  double[] contributions(Vector features);

  /** What the contributions add up to, in the model's own units (see each implementation). */
  double margin(Vector features);
}

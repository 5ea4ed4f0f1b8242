package org.crmanalytics.models.explain;

import org.apache.spark.ml.classification.DecisionTreeClassificationModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.tree.LeafNode;

/**
 * Exact TreeSHAP values (see {@link ExplainedTree}) for an MLlib tree ensemble: a weighted sum of
 * trees is explained by the same weighted sum of the trees' SHAP values, because Shapley values are
 * linear in the model.
 *
 * <ul>
 *   <li>{@link #of(GBTClassificationModel)}: the margin {@code sum(treeWeight × tree prediction)},
 *       which is {@code rawPrediction[1]} (MLlib writes {@code [-margin, margin]}); MLlib's logistic
 *       loss turns it into {@code probability[1] = 1 / (1 + exp(-2 × margin))}.
 *   <li>{@link #of(RandomForestClassificationModel)}: {@code rawPrediction[1]}, the sum over the
 *       trees of the class-1 share of the leaf's training rows; {@code probability[1]} is that over
 *       the number of trees.
 *   <li>{@link #of(DecisionTreeClassificationModel)}: {@code probability[1]}, the class-1 share of
 *       the leaf's training rows (MLlib's rawPrediction of a single tree is the leaf's counts, which
 *       are not additive across leaves of different size).
 * </ul>
 */
public final class TreeEnsembleExplainer implements AdditiveExplainer {
  private static final long serialVersionUID = 1L;

  private final ExplainedTree[] trees;
  private final double[] weights;
  private final int numFeatures;
  private final double expectedValue;

  private TreeEnsembleExplainer(ExplainedTree[] trees, double[] weights, int numFeatures) {
    this.trees = trees;
    this.weights = weights.clone();
    this.numFeatures = numFeatures;
    double e = 0;
    for (int t = 0; t < trees.length; t++) {
      e += weights[t] * trees[t].expectedValue();
      if (trees[t].maxFeatureIndex() >= numFeatures) {
        throw new IllegalArgumentException("tree " + t + " splits on feature " + trees[t].maxFeatureIndex()
            + " but the model has " + numFeatures + " features");
      }
    }
    this.expectedValue = e;
  }

  public static TreeEnsembleExplainer of(GBTClassificationModel model) {
    ExplainedTree[] trees = new ExplainedTree[model.getNumTrees()];
    for (int t = 0; t < trees.length; t++) {
      trees[t] = ExplainedTree.of(model.trees()[t].rootNode(), LeafNode::prediction,
          "GBT model " + model.uid() + ", tree " + t);
    }
    return new TreeEnsembleExplainer(trees, model.treeWeights(), model.numFeatures());
  }

  public static TreeEnsembleExplainer of(RandomForestClassificationModel model) {
    if (model.numClasses() != 2) {
      throw new IllegalArgumentException("random forest " + model.uid() + " has " + model.numClasses()
          + " classes; the churn explanation needs a binary model");
    }
    ExplainedTree[] trees = new ExplainedTree[model.getNumTrees()];
    double[] weights = new double[trees.length];
    for (int t = 0; t < trees.length; t++) {
      trees[t] = ExplainedTree.of(model.trees()[t].rootNode(), TreeEnsembleExplainer::classOneShare,
          "random forest " + model.uid() + ", tree " + t);
      weights[t] = 1;
    }
    return new TreeEnsembleExplainer(trees, weights, model.numFeatures());
  }

  public static TreeEnsembleExplainer of(DecisionTreeClassificationModel model) {
    if (model.numClasses() != 2) {
      throw new IllegalArgumentException("decision tree " + model.uid() + " has " + model.numClasses()
          + " classes; the churn explanation needs a binary model");
    }
    ExplainedTree tree = ExplainedTree.of(model.rootNode(), TreeEnsembleExplainer::classOneShare,
        "decision tree " + model.uid());
    return new TreeEnsembleExplainer(new ExplainedTree[] {tree}, new double[] {1}, model.numFeatures());
  }

  /** MLlib's random forest vote of one tree: the leaf's class counts normalised to sum 1. */
  private static double classOneShare(LeafNode leaf) {
    double[] counts = leaf.impurityStats().stats();
    double total = 0;
    for (double c : counts) {
      total += c;
    }
    return total == 0 ? 0 : counts[1] / total;
  }

  @Override
  public int numFeatures() {
    return numFeatures;
  }

  @Override
  public double expectedValue() {
    return expectedValue;
  }

  @Override
  public double[] contributions(Vector features) {
    double[] x = checked(features);
    double[] phi = new double[numFeatures];
    for (int t = 0; t < trees.length; t++) {
      trees[t].addShap(x, weights[t], phi);
    }
    return phi;
  }

  @Override
  public double margin(Vector features) {
    double[] x = checked(features);
    double m = 0;
    for (int t = 0; t < trees.length; t++) {
      m += weights[t] * trees[t].predict(x);
    }
    return m;
  }

  private double[] checked(Vector features) {
    if (features.size() != numFeatures) {
      throw new IllegalArgumentException("the feature vector has " + features.size() + " values, the model "
          + numFeatures + "; explain with the vector the model was fitted on");
    }
    return features.toArray();
  }
}

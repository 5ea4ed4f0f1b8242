package org.crmanalytics.models.explain;

import java.util.function.ToDoubleFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;

/**
 * Shapley values by their definition, walking MLlib's own nodes: the value of a coalition S is the
 * tree's output when the features in S take the row's values and every other split is averaged over
 * both children by training count (the path-dependent expectation TreeSHAP is exact for). Every
 * subset is enumerated, so only for a handful of features.
 */
final class ShapleyByEnumeration {
  private ShapleyByEnumeration() {}

  static double value(Node node, Vector x, int coalition, ToDoubleFunction<LeafNode> leafValue) {
    if (node instanceof LeafNode leaf) {
      return leafValue.applyAsDouble(leaf);
    }
    InternalNode in = (InternalNode) node;
    int f = in.split().featureIndex();
    if ((coalition & (1 << f)) != 0) {
      return value(in.split().shouldGoLeft(x) ? in.leftChild() : in.rightChild(), x, coalition, leafValue);
    }
    double l = in.leftChild().impurityStats().count();
    double r = in.rightChild().impurityStats().count();
    return (l * value(in.leftChild(), x, coalition, leafValue) + r * value(in.rightChild(), x, coalition, leafValue))
        / in.impurityStats().count();
  }

  /** φ_i = Σ over S without i of |S|! (M − |S| − 1)! / M! × (v(S ∪ {i}) − v(S)). */
  static double[] shapley(Node root, Vector x, int features, ToDoubleFunction<LeafNode> leafValue) {
    double[] phi = new double[features];
    for (int i = 0; i < features; i++) {
      for (int s = 0; s < (1 << features); s++) {
        if ((s & (1 << i)) != 0) {
          continue;
        }
        int size = Integer.bitCount(s);
        double weight = factorial(size) * factorial(features - size - 1) / factorial(features);
        phi[i] += weight * (value(root, x, s | (1 << i), leafValue) - value(root, x, s, leafValue));
      }
    }
    return phi;
  }

  private static double factorial(int n) {
    double f = 1;
    for (int i = 2; i <= n; i++) {
      f *= i;
    }
    return f;
  }
}

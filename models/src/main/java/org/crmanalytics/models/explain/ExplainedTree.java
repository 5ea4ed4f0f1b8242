package org.crmanalytics.models.explain;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.spark.ml.tree.CategoricalSplit;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.ml.tree.Split;

/**
 * One MLlib decision tree flattened into arrays (node 0 is the root) with the exact path-dependent
 * TreeSHAP of Lundberg, Erion and Lee, "Consistent Individualized Feature Attribution for Tree
 * Ensembles" (2018), Algorithm 2, written here with 0-based indices.
 *
 * <p>The cover of a node is its training count ({@code impurityStats().count()}, the weighted count
 * when the model was fitted with sample weights); MLlib keeps these counts when a model is saved
 * and loaded. Features the row does not know are averaged over both children in proportion to
 * their covers: that is the "path-dependent" conditional expectation that the Shapley values here
 * are exact for.
 */
final class ExplainedTree implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] feature;
  private final double[] threshold;
  /** Non-null for a categorical split: the category values that go left, sorted. */
  private final double[][] leftCategories;
  private final int[] left;
  private final int[] right;
  private final double[] cover;
  private final double[] value;
  private final int depth;
  private final double expectedValue;

  /**
   * @param leafValue what a leaf contributes to the explained output (a GBT tree's prediction, or
   *     a random forest tree's class-1 share)
   * @param where names the tree in error messages
   */
  static ExplainedTree of(Node root, ToDoubleFunction<LeafNode> leafValue, String where) {
    List<Node> nodes = new ArrayList<>();
    collect(root, nodes);
    int n = nodes.size();
    int[] feature = new int[n];
    double[] threshold = new double[n];
    double[][] leftCategories = new double[n][];
    int[] left = new int[n];
    int[] right = new int[n];
    double[] cover = new double[n];
    double[] value = new double[n];
    IdentityHashMap<Node, Integer> index = new IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      index.put(nodes.get(i), i);
    }
    for (int i = 0; i < n; i++) {
      Node node = nodes.get(i);
      if (node.impurityStats() == null) {
        throw new IllegalArgumentException(where + ", node " + i + ": the tree has no training counts "
            + "(impurityStats), which TreeSHAP needs as covers; models converted from the old "
            + "org.apache.spark.mllib API lack them, so refit the model with org.apache.spark.ml");
      }
      cover[i] = node.impurityStats().count();
      if (!(cover[i] > 0)) {
        throw new IllegalArgumentException(where + ", node " + i + ": training count " + cover[i]
            + "; TreeSHAP needs a positive count at every node (were some sample weights 0?)");
      }
      if (node instanceof InternalNode in) {
        left[i] = index.get(in.leftChild());
        right[i] = index.get(in.rightChild());
        Split split = in.split();
        feature[i] = split.featureIndex();
        if (split instanceof ContinuousSplit c) {
          threshold[i] = c.threshold();
        } else if (split instanceof CategoricalSplit c) {
          leftCategories[i] = c.leftCategories().clone();
          Arrays.sort(leftCategories[i]);
        } else {
          throw new IllegalArgumentException(where + ", node " + i + ": unknown split type " + split.getClass());
        }
      } else {
        left[i] = -1;
        right[i] = -1;
        feature[i] = -1;
        value[i] = leafValue.applyAsDouble((LeafNode) node);
      }
    }
    return new ExplainedTree(feature, threshold, leftCategories, left, right, cover, value, root.subtreeDepth());
  }

  private static void collect(Node node, List<Node> out) {
    out.add(node);
    if (node instanceof InternalNode in) {
      collect(in.leftChild(), out);
      collect(in.rightChild(), out);
    }
  }

  private ExplainedTree(int[] feature, double[] threshold, double[][] leftCategories, int[] left, int[] right,
      double[] cover, double[] value, int depth) {
    this.feature = feature;
    this.threshold = threshold;
    this.leftCategories = leftCategories;
    this.left = left;
    this.right = right;
    this.cover = cover;
    this.value = value;
    this.depth = depth;
    this.expectedValue = expected(0);
  }

  private boolean isLeaf(int node) {
    return left[node] < 0;
  }

  /** MLlib's rule: continuous {@code x <= threshold} goes left (NaN goes right); categorical by set. */
  private boolean goesLeft(int node, double[] x) {
    double v = x[feature[node]];
    return leftCategories[node] == null ? v <= threshold[node] : Arrays.binarySearch(leftCategories[node], v) >= 0;
  }

  private double expected(int node) {
    if (isLeaf(node)) {
      return value[node];
    }
    return (cover[left[node]] * expected(left[node]) + cover[right[node]] * expected(right[node])) / cover[node];
  }

  double expectedValue() {
    return expectedValue;
  }

  double predict(double[] x) {
    int node = 0;
    while (!isLeaf(node)) {
      node = goesLeft(node, x) ? left[node] : right[node];
    }
    return value[node];
  }

  int maxFeatureIndex() {
    return Arrays.stream(feature).max().orElse(-1);
  }

  /** Adds {@code scale} × this tree's SHAP values for row {@code x} to {@code phi}. */
  void addShap(double[] x, double scale, double[] phi) {
    // One path per depth, reused: a child copies its parent's level before changing its own.
    Path[] levels = new Path[depth + 2];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = new Path(depth + 2);
    }
    recurse(0, 1, levels, x, scale, phi, 1, 1, -1);
  }

  /**
   * RECURSE of Algorithm 2: {@code zeroFraction} is the share of training rows that reach this node
   * when the feature of the parent split is unknown, {@code oneFraction} whether the row itself
   * goes here (1 or 0) when it is known.
   */
  private void recurse(int node, int level, Path[] levels, double[] x, double scale, double[] phi,
      double zeroFraction, double oneFraction, int parentFeature) {
    Path path = levels[level];
    path.copyFrom(levels[level - 1]);
    path.extend(zeroFraction, oneFraction, parentFeature);
    if (isLeaf(node)) {
      for (int i = 1; i < path.length; i++) {
        double w = path.unwoundSum(i);
        phi[path.feature[i]] += w * (path.one[i] - path.zero[i]) * value[node] * scale;
      }
      return;
    }
    int hot = goesLeft(node, x) ? left[node] : right[node];
    int cold = hot == left[node] ? right[node] : left[node];
    double incomingZero = 1;
    double incomingOne = 1;
    int k = path.find(feature[node]);
    if (k > 0) {
      // The feature was split on higher up: undo its element, and carry its fractions down.
      incomingZero = path.zero[k];
      incomingOne = path.one[k];
      path.unwind(k);
    }
    recurse(hot, level + 1, levels, x, scale, phi, incomingZero * cover[hot] / cover[node], incomingOne,
        feature[node]);
    recurse(cold, level + 1, levels, x, scale, phi, incomingZero * cover[cold] / cover[node], 0, feature[node]);
  }

  /** The unique features on the way from the root, with their fractions and permutation weights. */
  private static final class Path {
    final int[] feature;
    final double[] zero;
    final double[] one;
    final double[] weight;
    int length;

    Path(int capacity) {
      feature = new int[capacity];
      zero = new double[capacity];
      one = new double[capacity];
      weight = new double[capacity];
    }

    void copyFrom(Path p) {
      System.arraycopy(p.feature, 0, feature, 0, p.length);
      System.arraycopy(p.zero, 0, zero, 0, p.length);
      System.arraycopy(p.one, 0, one, 0, p.length);
      System.arraycopy(p.weight, 0, weight, 0, p.length);
      length = p.length;
    }

    int find(int f) {
      for (int i = 1; i < length; i++) {
        if (feature[i] == f) {
          return i;
        }
      }
      return -1;
    }

    /** EXTEND: adds a feature and updates the weights of every subset size. */
    void extend(double zeroFraction, double oneFraction, int f) {
      int l = length;
      feature[l] = f;
      zero[l] = zeroFraction;
      one[l] = oneFraction;
      weight[l] = l == 0 ? 1 : 0;
      for (int i = l - 1; i >= 0; i--) {
        weight[i + 1] += oneFraction * weight[i] * (i + 1) / (l + 1);
        weight[i] = zeroFraction * weight[i] * (l - i) / (l + 1);
      }
      length = l + 1;
    }

    /** UNWIND: the inverse of EXTEND for the element at {@code k}. */
    void unwind(int k) {
      int l = length;
      double o = one[k];
      double z = zero[k];
      double next = weight[l - 1];
      for (int j = l - 2; j >= 0; j--) {
        if (o != 0) {
          double kept = weight[j];
          weight[j] = next * l / ((j + 1) * o);
          next = kept - weight[j] * z * (l - 1 - j) / l;
        } else {
          weight[j] = weight[j] * l / (z * (l - 1 - j));
        }
      }
      for (int j = k; j < l - 1; j++) {
        feature[j] = feature[j + 1];
        zero[j] = zero[j + 1];
        one[j] = one[j + 1];
      }
      length = l - 1;
    }

    /** The sum of the weights UNWIND would leave for element {@code k}, without changing the path. */
    double unwoundSum(int k) {
      int l = length;
      double o = one[k];
      double z = zero[k];
      double next = weight[l - 1];
      double total = 0;
      for (int j = l - 2; j >= 0; j--) {
        if (o != 0) {
          double w = next * l / ((j + 1) * o);
          total += w;
          next = weight[j] - w * z * (l - 1 - j) / l;
        } else {
          total += weight[j] * l / (z * (l - 1 - j));
        }
      }
      return total;
    }
  }
}

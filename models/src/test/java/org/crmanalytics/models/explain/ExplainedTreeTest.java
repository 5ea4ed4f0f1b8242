package org.crmanalytics.models.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.tree.CategoricalSplit;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.ml.tree.Split;
import org.apache.spark.mllib.tree.impurity.ImpurityCalculator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** TreeSHAP on hand-built MLlib trees: a stump worked out by hand, and a tree checked by enumeration. */
@Tag("unit")
class ExplainedTreeTest {
  private static final double EPS = 1e-12;

  private static ImpurityCalculator count(double n) {
    return ImpurityCalculator.getCalculator("variance", new double[] {n, 0, 0}, (long) n);
  }

  private static LeafNode leaf(double value, double n) {
    return new LeafNode(value, 0, count(n));
  }

  private static InternalNode split(Split split, Node left, Node right) {
    double n = left.impurityStats().count() + right.impurityStats().count();
    return new InternalNode(0, 0, 0, left, right, split, count(n));
  }

  @Test
  void stumpByHand() {
    // x0 <= 0.5: value 1 for 3 training rows, else 5 for 1 row. E = (3 x 1 + 1 x 5) / 4 = 2.
    Node root = split(new ContinuousSplit(0, 0.5), leaf(1, 3), leaf(5, 1));
    ExplainedTree tree = ExplainedTree.of(root, LeafNode::prediction, "stump");
    assertEquals(2.0, tree.expectedValue(), EPS);
    double[] phi = new double[2];
    tree.addShap(new double[] {0.9, 7}, 1, phi);
    assertArrayEquals(new double[] {3, 0}, phi, EPS, "5 - 2 to the split feature, nothing to the other");
    phi = new double[2];
    tree.addShap(new double[] {0.1, 7}, 2, phi);
    assertArrayEquals(new double[] {-2, 0}, phi, EPS, "scaled by 2: 2 x (1 - 2)");
  }

  /**
   * Depth 4 with feature 0 split twice on one path, a categorical split on feature 2, uneven covers
   * and a feature (3) the tree never uses.
   */
  private static Node tinyTree() {
    Node deep = split(new ContinuousSplit(0, 0.2), leaf(-1.5, 2), leaf(0.5, 5));
    Node mid = split(new CategoricalSplit(2, new double[] {0, 2}, 3), deep, leaf(2.0, 4));
    Node left = split(new ContinuousSplit(1, 10), mid, leaf(-0.25, 6));
    Node right = split(new ContinuousSplit(1, 3), leaf(3, 1), split(new ContinuousSplit(0, 0.9), leaf(1, 2),
        leaf(4, 3)));
    return split(new ContinuousSplit(0, 0.5), left, right);
  }

  @Test
  void agreesWithEnumeratedShapleyValuesOnATinyTree() {
    Node root = tinyTree();
    ExplainedTree tree = ExplainedTree.of(root, LeafNode::prediction, "tiny");
    double[][] rows = {{0.1, 5, 0, 9}, {0.1, 5, 1, 9}, {0.3, 11, 2, 0}, {0.7, 2, 1, 1}, {0.95, 4, 0, 0},
        {0.5, 10, 2, -3}, {Double.NaN, 5, 0, 0}};
    for (double[] row : rows) {
      Vector x = Vectors.dense(row);
      double[] expected = ShapleyByEnumeration.shapley(root, x, 4, LeafNode::prediction);
      double[] phi = new double[4];
      tree.addShap(row, 1, phi);
      assertArrayEquals(expected, phi, 1e-12, "row " + x);
      assertEquals(0.0, phi[3], 0.0, "an unused feature gets nothing");
      double sum = tree.expectedValue() + phi[0] + phi[1] + phi[2] + phi[3];
      assertEquals(root.predictImpl(x).prediction(), sum, 1e-12, "bias + contributions = prediction, row " + x);
      assertEquals(ShapleyByEnumeration.value(root, x, 0, LeafNode::prediction), tree.expectedValue(), 1e-12);
    }
  }

  @Test
  void aTreeWithoutCountsIsRejected() {
    Node root = new InternalNode(0, 0, 0, new LeafNode(1, 0, null), new LeafNode(2, 0, null),
        new ContinuousSplit(0, 1), null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExplainedTree.of(root, LeafNode::prediction, "GBT model x, tree 3"));
    assertTrue(e.getMessage().startsWith("GBT model x, tree 3, node 0: the tree has no training counts"),
        e.getMessage());
  }
}

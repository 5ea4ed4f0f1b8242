package org.crmanalytics.models.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.classification.DecisionTreeClassificationModel;
import org.apache.spark.ml.classification.DecisionTreeClassifier;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Explanations of models that Spark trained on generated data: for every row, bias + contributions
 * equals the model's own rawPrediction, on the driver and through the UDF on the executors.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ModelExplanationTest {
  private static final int FEATURES = 5;
  private static SparkSession spark;
  private static Dataset<Row> data;
  private static GBTClassificationModel gbt;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    StructType schema = new StructType().add("id", DataTypes.IntegerType, false)
        .add("label", DataTypes.DoubleType, false).add("features", new VectorUDT(), false);
    Random random = new Random(42);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double[] x = new double[FEATURES];
      for (int f = 0; f < FEATURES; f++) {
        x[f] = Math.round(random.nextDouble() * 100) / 100.0; // ties, so that thresholds hit values
      }
      boolean churn = (x[0] > 0.5 && x[1] < 0.4) || x[2] > 0.85 || random.nextDouble() < 0.1;
      rows.add(RowFactory.create(i, churn ? 1.0 : 0.0, Vectors.dense(x)));
    }
    data = spark.createDataFrame(rows, schema).cache();
    gbt = new GBTClassifier().setMaxIter(6).setMaxDepth(4).setSeed(7).fit(data);
  }

  @Test
  void gbtContributionsAddUpToTheMarginForEveryRow() {
    int deepTrees = 0;
    for (DecisionTreeRegressionModel t : gbt.trees()) {
      deepTrees += t.depth() >= 3 ? 1 : 0;
    }
    assertTrue(gbt.getNumTrees() >= 5 && deepTrees >= 3, "several trees of depth >= 3");
    TreeEnsembleExplainer explainer = TreeEnsembleExplainer.of(gbt);
    List<Row> scored = gbt.transform(data).select("features", "rawPrediction", "probability").collectAsList();
    assertEquals(400, scored.size());
    for (Row r : scored) {
      Vector x = r.getAs(0);
      double margin = ((Vector) r.getAs(1)).apply(1);
      assertEquals(-margin, ((Vector) r.getAs(1)).apply(0), 0.0, "MLlib writes [-margin, margin]");
      double sum = explainer.expectedValue();
      for (double c : explainer.contributions(x)) {
        sum += c;
      }
      assertEquals(margin, sum, 1e-9, "bias + contributions for " + x);
      assertEquals(margin, explainer.margin(x), 1e-12);
      assertEquals(1 / (1 + Math.exp(-2 * margin)), ((Vector) r.getAs(2)).apply(1), 1e-12,
          "GBT probability = sigmoid(2 x margin) for " + x);
    }
  }

  @Test
  void gbtContributionsAreTheEnumeratedShapleyValues() {
    TreeEnsembleExplainer explainer = TreeEnsembleExplainer.of(gbt);
    for (Row r : data.select("features").limit(25).collectAsList()) {
      Vector x = r.getAs(0);
      double[] expected = new double[FEATURES];
      for (int t = 0; t < gbt.getNumTrees(); t++) {
        double[] tree = ShapleyByEnumeration.shapley(gbt.trees()[t].rootNode(), x, FEATURES, LeafNode::prediction);
        for (int f = 0; f < FEATURES; f++) {
          expected[f] += gbt.treeWeights()[t] * tree[f];
        }
      }
      assertArrayEquals(expected, explainer.contributions(x), 1e-10, "row " + x);
    }
  }

  @Test
  void theUdfGivesTheSameSumsOnTheExecutors() {
    TreeEnsembleExplainer explainer = TreeEnsembleExplainer.of(gbt);
    Dataset<Row> out = FeatureContributions.withContributions(gbt.transform(data), "features", "contributions",
        explainer);
    assertEquals(FeatureContributions.TYPE, out.schema().apply("contributions").dataType());
    List<Row> rows = out.select("rawPrediction", "contributions").collectAsList();
    assertEquals(400, rows.size());
    for (Row r : rows) {
      List<Double> c = r.getList(1);
      assertEquals(FEATURES, c.size());
      double sum = explainer.expectedValue() + c.stream().mapToDouble(Double::doubleValue).sum();
      assertEquals(((Vector) r.getAs(0)).apply(1), sum, 1e-9);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FeatureContributions.withContributions(data, "label", "c", explainer));
    assertTrue(e.getMessage().startsWith("contributions: 'label' is not a feature vector column"), e.getMessage());
  }

  @Test
  void aSavedAndLoadedGbtHasItsCountsAndTheSameExplanations() throws IOException {
    Path dir = Files.createTempDirectory("gbt-explain");
    gbt.write().overwrite().save(dir.resolve("model").toString());
    GBTClassificationModel loaded = GBTClassificationModel.load(dir.resolve("model").toString());
    TreeEnsembleExplainer before = TreeEnsembleExplainer.of(gbt);
    TreeEnsembleExplainer after = TreeEnsembleExplainer.of(loaded);
    assertEquals(before.expectedValue(), after.expectedValue(), 0.0);
    for (Row r : data.select("features").limit(20).collectAsList()) {
      assertArrayEquals(before.contributions(r.getAs(0)), after.contributions(r.getAs(0)), 0.0);
    }
  }

  @Test
  void randomForestContributionsAddUpToRawPredictionOfChurn() {
    RandomForestClassificationModel rf = new RandomForestClassifier().setNumTrees(4).setMaxDepth(4).setSeed(3)
        .fit(data);
    TreeEnsembleExplainer explainer = TreeEnsembleExplainer.of(rf);
    for (Row r : rf.transform(data).select("features", "rawPrediction").limit(100).collectAsList()) {
      double sum = explainer.expectedValue();
      for (double c : explainer.contributions(r.getAs(0))) {
        sum += c;
      }
      assertEquals(((Vector) r.getAs(1)).apply(1), sum, 1e-9);
    }
  }

  @Test
  void decisionTreeContributionsAddUpToProbabilityOfChurn() {
    DecisionTreeClassificationModel tree = new DecisionTreeClassifier().setMaxDepth(4).fit(data);
    TreeEnsembleExplainer explainer = TreeEnsembleExplainer.of(tree);
    Dataset<Row> out = FeatureContributions.withContributions(tree.transform(data), "features", "contributions",
        "bias", explainer);
    for (Row r : out.select("probability", "contributions", "bias").collectAsList()) {
      List<Double> c = r.getList(1);
      double sum = r.getDouble(2) + c.stream().mapToDouble(Double::doubleValue).sum();
      assertEquals(((Vector) r.getAs(0)).apply(1), sum, 1e-9);
    }
  }

  @Test
  void logisticRegressionContributionsAreCoefficientTimesDistanceToTheMean() {
    LogisticRegressionModel lr = new LogisticRegression().setMaxIter(10).fit(data);
    LogisticRegressionExplainer explainer = LogisticRegressionExplainer.fit(lr, data, "features");
    double[] means = new double[FEATURES];
    List<Row> rows = lr.transform(data).select("features", "rawPrediction").collectAsList();
    for (Row r : rows) {
      double[] x = ((Vector) r.getAs(0)).toArray();
      for (int f = 0; f < FEATURES; f++) {
        means[f] += x[f] / rows.size();
      }
    }
    double bias = lr.intercept();
    for (int f = 0; f < FEATURES; f++) {
      bias += lr.coefficients().apply(f) * means[f];
    }
    assertEquals(bias, explainer.expectedValue(), 1e-12);
    for (Row r : rows) {
      Vector x = r.getAs(0);
      double[] c = explainer.contributions(x);
      assertEquals(lr.coefficients().apply(1) * (x.apply(1) - means[1]), c[1], 1e-12);
      double sum = explainer.expectedValue();
      for (double v : c) {
        sum += v;
      }
      assertEquals(((Vector) r.getAs(1)).apply(1), sum, 1e-9);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> explainer.contributions(Vectors.dense(1, 2)));
    assertEquals("the feature vector has 2 values, the model 5; explain with the vector the model was fitted on",
        e.getMessage());
  }
}

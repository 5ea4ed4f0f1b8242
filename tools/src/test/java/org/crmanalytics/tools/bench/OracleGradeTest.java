package org.crmanalytics.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.tools.generate.GroundTruth.CustomerTruth;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** grade-oracle: the model, the rules and the oracle graded on the same test rows. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class OracleGradeTest {
  @Test
  void theOracleIsTheHazardAsAProbabilityOverTheHorizonAndEveryScoreIsGradedOnTheSameRows(SparkSession spark,
      @TempDir Path dir) throws Exception {
    Path version = dir.resolve("models/payment_risk/v1");
    Files.createDirectories(version);
    Files.writeString(version.resolve("metadata.json"), "{\"algorithm\": \"logistic_regression\", \"horizon_months\": 6}");
    Files.writeString(version.resolve("evaluation.json"),
        "{\"baselines\": {\"max_days_past_due\": {}, \"credit_limit_utilisation\": {}, \"base_rate\": {}}}");
    // Ten customers, defaulters C0 and C1; the model ranks them first, the rule ranks C0 first and C1 last.
    StructType predictions = new StructType().add("customer_id", DataTypes.StringType)
        .add("label", DataTypes.DoubleType).add("default_probability", DataTypes.DoubleType)
        .add("max_days_past_due", DataTypes.DoubleType).add("credit_limit_utilisation", DataTypes.DoubleType);
    StructType truth = new StructType().add(CustomerTruth.CUSTOMER_ID, DataTypes.StringType)
        .add(CustomerTruth.ANNUAL_DEFAULT_HAZARD, DataTypes.DoubleType)
        .add(CustomerTruth.ANNUAL_CHURN_HAZARD, DataTypes.DoubleType);
    List<Row> p = new ArrayList<>();
    List<Row> t = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      p.add(RowFactory.create("C" + i, i < 2 ? 1.0 : 0.0, 0.9 - i * 0.05, i == 1 ? 0.0 : 100.0 - i, 0.5));
      t.add(RowFactory.create("C" + i, 0.1 * (10 - i), 0.2));
    }
    spark.createDataFrame(p, predictions).write().parquet(version.resolve("test_predictions").toString());
    spark.createDataFrame(t, truth).write().parquet(dir.resolve("company/ground_truth/customer_truth").toString());

    List<OracleGrade.Line> lines = OracleGrade.grade(spark, version, dir.resolve("company"), "parquet");
    assertEquals(List.of("model (logistic_regression)", "rule: max_days_past_due", "rule: credit_limit_utilisation",
        OracleGrade.ORACLE), lines.stream().map(OracleGrade.Line::score).toList());
    assertEquals(1.0, lines.get(0).metrics().rocAuc(), 1e-12);
    assertEquals(0.5, lines.get(1).metrics().rocAuc(), 1e-12); // C0 above all 8, C1 below all 8
    assertEquals(1.0, lines.get(3).metrics().rocAuc(), 1e-12); // the hazard falls with i
    // The oracle's probability: d / (d + c) · (1 − exp(−(d + c) · h)), h = 0.5 years.
    assertEquals(10, lines.get(3).metrics().rows());
    String table = OracleGrade.table(lines);
    assertTrue(table.contains("| model (logistic_regression) | 1.0000 |"), table);
    assertTrue(table.contains("model ROC AUC minus the best rule's: +0.5000"), table);
    assertTrue(table.contains("test rows 10, defaults 2"), table);
  }
}

package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Which rule recommends what to whom: the antecedent held, the consequent lacking, the best rule kept. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class AssociationRulesTest {
  /**
   * Rules: {A} → C (0.8, lift 2), {A, B} → C (0.9, lift 3), {B} → D (0.5, lift 1.2), {D} → A (0.7).
   * u1 holds A: C by {A}. u2 holds A B: C by {A, B} (better than {A}), D by {B}. u3 holds A C: C is
   * held, nothing. u4 holds D A: A is held; C by {A}. u5 holds B D: {A, B} needs A, D is held; A by {D}.
   * u6 holds B A, the set of u2 in another order: matched once per set, it gets u2's rules.
   */
  @Test
  void theBestRuleWhoseAntecedentIsHeldRecommendsItsConsequent(SparkSession spark) {
    StructType ruleSchema = new StructType().add(AssociationRules.RULE_SOURCE, DataTypes.StringType)
        .add(AssociationRules.ANTECEDENT, DataTypes.createArrayType(DataTypes.StringType))
        .add(AssociationRules.CONSEQUENT, DataTypes.StringType).add(AssociationRules.SUPPORT, DataTypes.DoubleType)
        .add(AssociationRules.CONFIDENCE, DataTypes.DoubleType).add(AssociationRules.LIFT, DataTypes.DoubleType);
    Dataset<Row> rules = spark.createDataFrame(List.of(
        RowFactory.create("customers", new String[] {"A"}, "C", 0.2, 0.8, 2.0),
        RowFactory.create("baskets", new String[] {"A", "B"}, "C", 0.1, 0.9, 3.0),
        RowFactory.create("customers", new String[] {"B"}, "D", 0.1, 0.5, 1.2),
        RowFactory.create("customers", new String[] {"D"}, "A", 0.1, 0.7, 1.5)), ruleSchema);
    StructType itemsSchema = new StructType().add("customer_id", DataTypes.StringType)
        .add(AssociationRules.ITEMS, DataTypes.createArrayType(DataTypes.StringType));
    Dataset<Row> held = spark.createDataFrame(List.of(RowFactory.create("u1", new String[] {"A"}),
        RowFactory.create("u2", new String[] {"A", "B"}), RowFactory.create("u3", new String[] {"A", "C"}),
        RowFactory.create("u4", new String[] {"D", "A"}), RowFactory.create("u5", new String[] {"B", "D"}),
        RowFactory.create("u6", new String[] {"B", "A"})), itemsSchema);
    Dataset<Row> recommended = AssociationRules.recommend(held, rules)
        .withColumn("antecedent", concat_ws(",", col("antecedent")));
    Map<String, String> got = WhiteSpaceTest.rows(recommended,
        r -> r.getString(0) + " " + r.getString(1), "confidence", "lift", "rule_source", "antecedent");
    assertEquals(Map.of(
        "u1 C", "0.80|2.00|customers|A",
        "u2 C", "0.90|3.00|baskets|A,B",
        "u2 D", "0.50|1.20|customers|B",
        "u4 C", "0.80|2.00|customers|A",
        "u5 A", "0.70|1.50|customers|D",
        "u6 C", "0.90|3.00|baskets|A,B",
        "u6 D", "0.50|1.20|customers|B"),
        got);
  }
}

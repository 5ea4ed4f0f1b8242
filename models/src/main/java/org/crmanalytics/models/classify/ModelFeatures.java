package org.crmanalytics.models.classify;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * The numeric features a risk model (churn, payment default) reads, by column name, and how a missing value becomes a
 * number. A missing value means "never" or "not measured": days since an event that never
 * happened count as {@link #NEVER_DAYS}, a ratio to the usual gap as 1 (usual), anything else 0.
 */
public record ModelFeatures(List<String> names) {
  /** Ten years: longer ago than any window the snapshot looks at. */
  public static final double NEVER_DAYS = 3650;

  /** Identifiers, dates and text: not features. */
  private static final Set<String> NOT_FEATURES = Set.of(CustomerSnapshot.CUSTOMER_ID, CustomerSnapshot.AS_OF,
      CustomerSnapshot.EMPLOYEES, CustomerSnapshot.CREDIT_LIMIT);

  public ModelFeatures {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one feature");
    }
    if (new LinkedHashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("features listed twice in " + names);
    }
    names = List.copyOf(names);
  }

  /**
   * Every numeric column of the snapshot (counts, sums, days, ratios; not the ids, the size or the
   * credit limit, which describe the account rather than its behaviour) plus {@code extra}.
   */
  public static ModelFeatures fromSnapshot(StructType snapshot, List<String> extra) {
    List<String> names = new ArrayList<>();
    for (StructField f : snapshot.fields()) {
      if (!NOT_FEATURES.contains(f.name())
          && (f.dataType() instanceof NumericType || f.dataType() instanceof DecimalType)) {
        names.add(f.name());
      }
    }
    names.addAll(extra);
    return new ModelFeatures(names);
  }

  /** Features named here that {@code schema} does not have (a model cannot score without them). */
  public List<String> missingIn(StructType schema) {
    Set<String> present = Set.of(schema.fieldNames());
    return names.stream().filter(n -> !present.contains(n)).toList();
  }

  /** The value a missing feature takes; documented in docs/churn.md and docs/payment-risk.md. */
  public static double fillValue(String name) {
    if (name.startsWith("days_since_") || name.endsWith("_gap_days")) {
      return NEVER_DAYS;
    }
    if (name.contains("_vs_")) {
      return 1.0;
    }
    return 0.0;
  }

  /** {@code rows} with every feature as a non-null double; other columns kept. */
  public Dataset<Row> prepare(Dataset<Row> rows) {
    List<String> missing = missingIn(rows.schema());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("the input lacks the model's features " + missing);
    }
    List<Column> out = new ArrayList<>();
    Set<String> features = Set.copyOf(names);
    for (String c : rows.columns()) {
      out.add(features.contains(c)
          ? coalesce(col(c).cast(DataTypes.DoubleType), lit(fillValue(c))).as(c)
          : col(c));
    }
    return rows.select(out.toArray(Column[]::new));
  }
}

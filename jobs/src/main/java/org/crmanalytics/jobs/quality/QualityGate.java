package org.crmanalytics.jobs.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.jobs.config.PipelineConfig.Parsing;
import org.crmanalytics.jobs.ingest.ColumnMapper;
import org.crmanalytics.jobs.ingest.SourceFrame;
import org.crmanalytics.jobs.quality.QualityRule.Kind;
import org.crmanalytics.jobs.quality.QualityRule.Level;
import org.crmanalytics.models.contract.ContractColumn;
import org.crmanalytics.models.contract.ContractTable;

/**
 * The data-quality gate of one table, as a pure transformation: mapped source rows in, one row
 * out per row in, with the contract's typed columns and the verdict. Nothing is filtered here, so
 * {@code rows in = accepted + quarantined} holds by construction and the caller checks it.
 *
 * <p>Output columns: the contract columns, {@link #RULE} (the rejecting rule's id, null when
 * accepted), {@link #REASON}, {@link #VIOLATIONS} (every rule the row breaks, warnings included),
 * {@link #KEY} and {@link #SOURCE} (the raw source row as JSON; both only on rejected rows), and
 * the source file and position.
 */
public final class QualityGate {
  public static final String RULE = "_rule";
  public static final String REASON = "_reason";
  public static final String VIOLATIONS = "_violations";
  public static final String KEY = "_key";
  public static final String SOURCE = "_source";

  /** Accepted keys of a referenced table, and whether they are few enough to broadcast. */
  public record ReferencedKeys(Dataset<Row> keys, String keyColumn, boolean small) {}

  /** Settings of one gate run. */
  public record Settings(Parsing parsing, LocalDate asOf, String encoding, Map<String, Level> levels) {}

  private QualityGate() {}

  /** The rules this table is checked with, levels applied. */
  public static List<QualityRule> rules(ContractTable table, StructType mapped, Settings settings) {
    return QualityRules.withSettings(
        QualityRules.forTable(table, mapped, settings.parsing(), settings.asOf(), settings.encoding()),
        settings.levels());
  }

  public static Dataset<Row> transform(Dataset<Row> mapped, ContractTable table, Settings settings,
      Map<String, ReferencedKeys> references) {
    StructType mappedSchema = mapped.schema();
    List<Column> typedCols = new ArrayList<>();
    for (ContractColumn c : table.columns()) {
      String raw = ColumnMapper.raw(c.name());
      typedCols.add(ValueParsers.convert(col(raw), mappedSchema.apply(raw).dataType(), c.type(), settings.parsing())
          .as(c.name()));
    }
    for (String name : mappedSchema.fieldNames()) {
      typedCols.add(col(name));
    }
    Dataset<Row> rows = mapped.select(typedCols.toArray(Column[]::new));

    List<QualityRule> rules = new ArrayList<>(rules(table, mappedSchema, settings));
    Column rowError = lit(false);
    for (QualityRule r : rules) {
      if (r.violation() != null && r.level() == Level.ERROR) {
        rowError = rowError.or(coalesce(r.violation(), lit(false)));
      }
    }
    rows = rows.withColumn("_row_error", rowError);

    List<String> helperCols = new ArrayList<>(List.of("_row_error"));
    Column duplicate = lit(false);
    if (!table.key().isEmpty()) {
      rows = markDuplicates(rows, table.key());
      duplicate = col("_dup");
      helperCols.add("_dup");
    }
    Map<String, Column> joinViolations = new LinkedHashMap<>();
    for (ContractColumn c : table.columns()) {
      if (c.references().isEmpty() || !references.containsKey(c.references().get())) {
        continue;
      }
      ReferencedKeys ref = references.get(c.references().get());
      String found = "_found_" + c.name();
      String refKey = "_ref_" + c.name();
      Dataset<Row> keys = ref.keys().select(col(ref.keyColumn()).as(refKey), lit(true).as(found));
      rows = rows.join(ref.small() ? broadcast(keys) : keys, col(c.name()).equalTo(col(refKey)), "left")
          .drop(refKey);
      joinViolations.put(c.name(), col(c.name()).isNotNull().and(col(found).isNull()));
      helperCols.add(found);
    }
    final Column dup = duplicate;
    List<QualityRule> resolved = new ArrayList<>();
    for (QualityRule r : rules) {
      if (r.kind() == Kind.DUPLICATE_KEY) {
        resolved.add(r.withViolation(dup));
      } else if (r.kind() == Kind.REFERENCE) {
        Column v = joinViolations.get(r.column());
        if (v != null) { // a reference to a table the company does not supply is not checked
          resolved.add(r.withViolation(v));
        }
      } else {
        resolved.add(r);
      }
    }

    List<Column> firstError = new ArrayList<>();
    List<Column> all = new ArrayList<>();
    List<Column> reasons = new ArrayList<>();
    for (QualityRule r : resolved) {
      Column v = coalesce(r.violation(), lit(false));
      if (r.level() == Level.ERROR) {
        firstError.add(when(v, lit(r.id())));
      }
      all.add(when(v, lit(r.id())));
      reasons.add(lit(r.id()));
      reasons.add(lit(r.reason()));
    }
    Column rule = firstError.isEmpty() ? lit(null).cast("string") : coalesce(firstError.toArray(Column[]::new));
    List<Column> keyParts = new ArrayList<>();
    for (String k : table.key()) {
      keyParts.add(concat(lit(k + "="), coalesce(col(ColumnMapper.raw(k)).cast("string"), lit(""))));
    }
    rows = rows
        .withColumn(RULE, rule)
        .withColumn(VIOLATIONS, array_compact(array(all.toArray(Column[]::new))))
        .withColumn(REASON, org.apache.spark.sql.functions.element_at(
            org.apache.spark.sql.functions.map(reasons.toArray(Column[]::new)), col(RULE)))
        .withColumn(KEY, when(col(RULE).isNotNull(),
            keyParts.isEmpty() ? lit("") : concat_ws(", ", keyParts.toArray(Column[]::new))))
        .withColumn(SOURCE, when(col(RULE).isNotNull(), to_json(col(ColumnMapper.SOURCE_ROW))));

    List<Column> out = new ArrayList<>();
    for (ContractColumn c : table.columns()) {
      out.add(col(c.name()));
    }
    for (String meta : List.of(RULE, REASON, VIOLATIONS, KEY, SOURCE, SourceFrame.FILE, SourceFrame.POSITION)) {
      out.add(col(meta));
    }
    return rows.select(out.toArray(Column[]::new));
  }

  /**
   * Marks every row but the first (in source order) of each key as a duplicate. Only rows that
   * pass the row rules compete, so a broken row never displaces a good one. The key counts are
   * aggregated on the key columns alone; only keys that occur twice are joined back.
   */
  private static Dataset<Row> markDuplicates(Dataset<Row> rows, List<String> key) {
    List<Column> keyCols = key.stream().map(k -> col(k).as("_dk_" + k)).toList();
    Dataset<Row> dups = rows.filter(not(col("_row_error")))
        .groupBy(keyCols.toArray(Column[]::new))
        .agg(count(lit(1)).as("_n"), min(col(SourceFrame.POSITION)).as("_keep"))
        .filter(col("_n").gt(1))
        .drop("_n");
    Column on = lit(true);
    for (String k : key) {
      on = on.and(col(k).equalTo(col("_dk_" + k)));
    }
    Dataset<Row> joined = rows.join(dups, on, "left");
    for (String k : key) {
      joined = joined.drop("_dk_" + k);
    }
    return joined.withColumn("_dup", not(col("_row_error")).and(col("_keep").isNotNull())
        .and(col(SourceFrame.POSITION).notEqual(col("_keep")))).drop("_keep");
  }
}

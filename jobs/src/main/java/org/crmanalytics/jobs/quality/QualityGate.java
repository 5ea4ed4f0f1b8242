package org.crmanalytics.jobs.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.jobs.config.PipelineConfig.Parsing;
import org.crmanalytics.jobs.quality.QualityRule.Kind;
import org.crmanalytics.jobs.quality.QualityRule.Level;
import org.crmanalytics.models.contract.ContractColumn;
import org.crmanalytics.models.contract.ContractTable;

/**
 * The data-quality gate of one table, as pure transformations: {@link #check} (types and row
 * rules), {@link #duplicateKeys}, then {@link #verdict}: mapped source rows in, one row out per
 * row in, with the contract's typed columns and the verdict. Nothing is filtered here, so
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
  private static final String ROW_ERROR = "_row_error";
  private static final String DUP_KEY = "_dk_";
  private static final String KEEP = "_keep";
  private static final String KEY_HASH = "_key_hash";

  /** Accepted keys of a referenced table, and whether they are few enough to broadcast. */
  public record ReferencedKeys(Dataset<Row> keys, String keyColumn, boolean small) {}

  /** Settings of one gate run. */
  public record Settings(Parsing parsing, LocalDate asOf, String encoding, Map<String, Level> levels) {}

  private QualityGate() {}

  /**
   * Whether rows this rule rejects are merely not yet known on the as_of date (an after-as_of
   * rule at level error): they are counted apart, neither accepted nor quarantined.
   */
  public static boolean notYetKnown(QualityRule rule) {
    return rule.kind() == Kind.AFTER_AS_OF && rule.level() == Level.ERROR;
  }

  /** True on rows rejected as bad data; false on accepted rows and on rows not yet known. */
  public static Column quarantined(List<QualityRule> rules) {
    List<String> held = rules.stream().filter(QualityGate::notYetKnown).map(QualityRule::id).toList();
    Column rejected = col(RULE).isNotNull();
    return held.isEmpty() ? rejected : rejected.and(not(col(RULE).isin(held.toArray())));
  }

  /** The rules this table is checked with, levels applied. */
  public static List<QualityRule> rules(ContractTable table, StructType mapped, Settings settings) {
    return QualityRules.withSettings(
        QualityRules.forTable(table, mapped, settings.parsing(), settings.asOf(), settings.encoding()),
        settings.levels());
  }

  /**
   * The gate's first step: typed contract columns, one boolean flag per rule, and the reference
   * lookups. Its rows are what the caller caches; duplicates need a pass over all of them.
   */
  public record Checked(Dataset<Row> rows, ContractTable table, List<QualityRule> rules,
      Map<String, String> flags) {}

  public static Checked check(Dataset<Row> mapped, ContractTable table, Settings settings,
      Map<String, ReferencedKeys> references) {
    StructType mappedSchema = mapped.schema();
    List<Column> typedCols = new ArrayList<>();
    for (ContractColumn c : table.columns()) {
      String raw = GateInput.raw(c.name());
      typedCols.add(typed(c, mappedSchema, settings).as(c.name()));
      // Same projection as the conversion, so the value is trimmed once for both.
      typedCols.add(ValueParsers.present(col(raw), mappedSchema.apply(raw).dataType())
          .as(QualityRules.presentColumn(c.name())));
    }
    for (String name : mappedSchema.fieldNames()) {
      typedCols.add(col(name));
    }
    Dataset<Row> rows = mapped.select(typedCols.toArray(Column[]::new));

    // Each rule's violation becomes one boolean column, computed once; everything after reads
    // those columns. (Spelling the rule expressions out in the verdict columns repeated them
    // and pushed them under interpreted evaluation, the ingest's slowest part.)
    List<QualityRule> rules = rules(table, mappedSchema, settings);
    Map<String, String> flags = new LinkedHashMap<>(); // rule id -> its flag column
    List<Column> rowFlags = new ArrayList<>();
    Column rowError = lit(false);
    for (int i = 0; i < rules.size(); i++) {
      QualityRule r = rules.get(i);
      if (r.violation() == null) {
        continue; // duplicate keys and references: known only after the joins below
      }
      String flag = "_v" + i;
      flags.put(r.id(), flag);
      rowFlags.add(coalesce(r.violation(), lit(false)).as(flag));
      if (r.level() == Level.ERROR) {
        rowError = rowError.or(col(flag));
      }
    }
    rows = withColumns(rows, rowFlags).withColumn(ROW_ERROR, rowError);

    List<Column> refFlags = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      QualityRule r = rules.get(i);
      if (r.kind() == Kind.DUPLICATE_KEY) {
        flags.put(r.id(), "_v" + i); // set by verdict
      } else if (r.kind() == Kind.REFERENCE) {
        ReferencedKeys ref = table.column(r.column()).flatMap(ContractColumn::references)
            .map(references::get).orElse(null);
        if (ref == null) {
          continue; // a reference to a table the company does not supply is not checked
        }
        String found = "_found_" + r.column();
        String refKey = "_ref_" + r.column();
        Dataset<Row> keys = ref.keys().select(col(ref.keyColumn()).as(refKey), lit(true).as(found));
        rows = rows.join(ref.small() ? broadcast(keys) : keys, col(r.column()).equalTo(col(refKey)), "left")
            .drop(refKey);
        flags.put(r.id(), "_v" + i);
        refFlags.add(col(r.column()).isNotNull().and(col(found).isNull()).as("_v" + i));
      }
    }
    List<String> keep = new ArrayList<>(List.of(rows.columns()));
    keep.removeIf(c -> c.startsWith("_found_"));
    List<Column> out = new ArrayList<>(keep.stream().map(functions::col).toList());
    out.addAll(refFlags);
    return new Checked(rows.select(out.toArray(Column[]::new)), table, rules, flags);
  }

  /**
   * Hashes of the keys that occur more than once among all rows, row rules ignored: a superset
   * of the duplicated keys, usually empty, found by reading and converting the key columns alone
   * and grouping by a 64-bit hash of them (fixed width: far cheaper to group than strings; a
   * collision only adds a candidate). Null when the table has no key.
   */
  public static Dataset<Row> candidateKeys(Dataset<Row> mapped, ContractTable table, Settings settings) {
    if (table.key().isEmpty()) {
      return null;
    }
    StructType schema = mapped.schema();
    Column hash = keyHash(table, k -> typed(table.column(k).orElseThrow(), schema, settings));
    return mapped.select(hash.as(KEY_HASH))
        .groupBy(col(KEY_HASH))
        .agg(count(lit(1)).as("_n"))
        .filter(col("_n").gt(1))
        .drop("_n");
  }

  /**
   * Keys that occur more than once among the rows that pass the row rules, with the source
   * position of the row that is kept (the first). Only such rows compete, so a broken row never
   * displaces a good one. Only rows whose key hash is among {@code candidates} (from
   * {@link #candidateKeys}; give it a broadcast hint when small) are grouped.
   */
  public static Dataset<Row> duplicateKeys(Checked checked, Dataset<Row> candidates) {
    ContractTable table = checked.table();
    Dataset<Row> rows = checked.rows().filter(not(col(ROW_ERROR)));
    List<Column> keyCols = table.key().stream().map(k -> col(k).as(DUP_KEY + k)).toList();
    return rows.join(candidates, keyHash(table, functions::col).equalTo(candidates.col(KEY_HASH)), "left_semi")
        .groupBy(keyCols.toArray(Column[]::new))
        .agg(count(lit(1)).as("_n"), min(col(GateInput.POSITION)).as(KEEP))
        .filter(col("_n").gt(1))
        .drop("_n");
  }

  private static Column keyHash(ContractTable table, Function<String, Column> keyColumn) {
    return xxhash64(table.key().stream().map(keyColumn).toArray(Column[]::new));
  }

  /**
   * The verdict per row: the rejecting rule (the first broken error rule), its reason, every
   * broken rule, and for rejected rows the key and the raw source row as JSON. Give
   * {@code duplicateKeys} a broadcast hint when they are few (they usually are).
   */
  public static Dataset<Row> verdict(Checked checked, Dataset<Row> duplicateKeys) {
    ContractTable table = checked.table();
    Dataset<Row> rows = checked.rows();
    for (int i = 0; i < checked.rules().size(); i++) {
      if (checked.rules().get(i).kind() == Kind.DUPLICATE_KEY && duplicateKeys != null) {
        rows = markDuplicates(rows, table.key(), duplicateKeys, "_v" + i);
      }
    }
    List<Column> firstError = new ArrayList<>();
    List<Column> reasons = new ArrayList<>();
    List<Column> broken = new ArrayList<>();
    Column any = lit(false);
    for (QualityRule r : checked.rules()) {
      String flag = checked.flags().get(r.id());
      if (flag == null || !List.of(rows.columns()).contains(flag)) {
        continue;
      }
      if (r.level() == Level.ERROR) {
        firstError.add(when(col(flag), lit(r.id())));
      }
      broken.add(when(col(flag), lit(r.id())));
      any = any.or(col(flag));
      reasons.add(lit(r.id()));
      reasons.add(lit(r.reason()));
    }
    Column rule = firstError.isEmpty() ? lit(null).cast("string") : coalesce(firstError.toArray(Column[]::new));
    // Rule ids have no commas: the ids of the broken rules, as an array, without a lambda.
    Column violations = when(any, split(concat_ws(",", broken.toArray(Column[]::new)), ","))
        .otherwise(array().cast("array<string>"));
    List<Column> keyParts = new ArrayList<>();
    for (String k : table.key()) {
      keyParts.add(concat(lit(k + "="), coalesce(col(GateInput.raw(k)).cast("string"), lit(""))));
    }
    rows = rows
        .withColumn(RULE, rule)
        .withColumn(VIOLATIONS, violations)
        .withColumn(REASON, element_at(map(reasons.toArray(Column[]::new)), col(RULE)))
        .withColumn(KEY, when(col(RULE).isNotNull(),
            keyParts.isEmpty() ? lit("") : concat_ws(", ", keyParts.toArray(Column[]::new))))
        .withColumn(SOURCE, when(col(RULE).isNotNull(), to_json(col(GateInput.SOURCE_ROW))));

    List<Column> out = new ArrayList<>();
    for (ContractColumn c : table.columns()) {
      out.add(col(c.name()));
    }
    for (String meta : List.of(RULE, REASON, VIOLATIONS, KEY, SOURCE, GateInput.FILE, GateInput.POSITION)) {
      out.add(col(meta));
    }
    return rows.select(out.toArray(Column[]::new));
  }

  /** A contract column's value converted from its mapped source column. */
  private static Column typed(ContractColumn c, StructType mapped, Settings settings) {
    String raw = GateInput.raw(c.name());
    return ValueParsers.convert(col(raw), mapped.apply(raw).dataType(), c.type(), settings.parsing());
  }

  private static Dataset<Row> withColumns(Dataset<Row> rows, List<Column> added) {
    if (added.isEmpty()) {
      return rows;
    }
    List<Column> all = new ArrayList<>();
    all.add(col("*"));
    all.addAll(added);
    return rows.select(all.toArray(Column[]::new));
  }

  /** Flags every row of a duplicated key but the kept one (rows that break row rules never count). */
  private static Dataset<Row> markDuplicates(Dataset<Row> rows, List<String> key, Dataset<Row> duplicateKeys,
      String flag) {
    Column on = lit(true);
    for (String k : key) {
      on = on.and(col(k).equalTo(col(DUP_KEY + k)));
    }
    Dataset<Row> joined = rows.join(duplicateKeys, on, "left");
    for (String k : key) {
      joined = joined.drop(DUP_KEY + k);
    }
    return joined.withColumn(flag, not(col(ROW_ERROR)).and(col(KEEP).isNotNull())
        .and(col(GateInput.POSITION).notEqual(col(KEEP)))).drop(KEEP);
  }
}

package org.crmanalytics.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig.ColumnMapping;
import org.crmanalytics.jobs.config.PipelineConfig.TableSource;
import org.crmanalytics.jobs.quality.GateInput;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.contract.ContractColumn;
import org.crmanalytics.models.contract.ContractTable;

/**
 * Applies a table's mapping: every contract column becomes {@code _raw_<column>}, still as the
 * source had it (usually a string), next to the whole source row ({@link #SOURCE_ROW}) that a
 * quarantined row keeps. Runs on the schema only: a required column that cannot be found stops
 * the run here, before any data is read.
 */
public final class ColumnMapper {
  public static final String RAW_PREFIX = GateInput.RAW_PREFIX;
  public static final String SOURCE_ROW = GateInput.SOURCE_ROW;

  private ColumnMapper() {}

  public static String raw(String contractColumn) {
    return GateInput.raw(contractColumn);
  }

  public static Dataset<Row> map(SourceFrame frame, ContractTable table, TableSource source) {
    Dataset<Row> rows = frame.rows();
    List<Column> out = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    boolean numberLines = false;
    for (ContractColumn c : table.columns()) {
      Optional<Column> value = resolve(frame, c, source);
      if (value.isEmpty() && table.name().equals(Sales.NAME) && c.name().equals(Sales.LINE_NO)) {
        numberLines = true; // numbered below, once order_id is known
        continue;
      }
      if (value.isEmpty() && table.name().equals(Sales.NAME) && c.name().equals(Sales.LINE_TYPE)) {
        value = Optional.of(lit(Sales.TYPE_ORDER));
      }
      if (value.isEmpty() && c.required()) {
        missing.add(c.name());
        continue;
      }
      out.add(value.orElse(lit(null).cast(c.type())).as(raw(c.name())));
    }
    if (!missing.isEmpty()) {
      throw missingColumns(frame, table, source, missing);
    }
    List<Column> sourceCols = new ArrayList<>(frame.sourceColumns().stream().map(n -> col(quote(n))).toList());
    if (List.of(rows.columns()).contains(SourceFrame.RAW_LINE)) {
      // Null (and left out of the quarantine's JSON) unless the line was malformed.
      sourceCols.add(col(SourceFrame.RAW_LINE).as("_raw_line"));
    }
    out.add(struct(sourceCols.toArray(Column[]::new)).as(SOURCE_ROW));
    out.add(col(SourceFrame.FILE));
    out.add(col(SourceFrame.POSITION));
    out.add(col(SourceFrame.MALFORMED));
    Dataset<Row> mapped;
    try {
      mapped = rows.select(out.toArray(Column[]::new));
    } catch (Exception e) {
      if (e instanceof AnalysisException a) {
        throw badExpression(source, a);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    if (numberLines) {
      // The source has no line numbers: number the lines of each order in source order.
      mapped = mapped.withColumn(raw(Sales.LINE_NO),
          row_number().over(Window.partitionBy(col(raw(Sales.ORDER_ID))).orderBy(col(SourceFrame.POSITION))));
    }
    return mapped;
  }

  private static Optional<Column> resolve(SourceFrame frame, ContractColumn c, TableSource source) {
    ColumnMapping m = source.columns().get(c.name());
    if (m != null && m.expression().isPresent()) {
      Column e;
      try {
        e = expr(m.expression().get());
        frame.rows().select(e); // analysis only: names the key of a broken expression
      } catch (Exception ex) {
        if (!(ex instanceof AnalysisException)) {
          throw ex instanceof RuntimeException r ? r : new IllegalStateException(ex);
        }
        throw new UserError(m.key() + ".expr: " + firstLine(ex.getMessage()) + ". Columns found: "
            + String.join(", ", frame.sourceColumns()) + ".");
      }
      return Optional.of(e);
    }
    String wanted = m != null ? m.sourceColumn().orElseThrow() : c.name();
    Optional<String> found = find(frame.sourceColumns(), wanted);
    if (found.isEmpty() && m != null) {
      throw new UserError(m.key() + ": " + source.describe() + " has no column '" + wanted + "'. "
          + "Columns found: " + String.join(", ", frame.sourceColumns()) + "."
          + delimiterHint(frame, source));
    }
    boolean text = found.isPresent()
        && frame.rows().schema().apply(found.get()).dataType() instanceof org.apache.spark.sql.types.StringType;
    return found.map(n -> text ? SourceReader.withoutNullWords(col(quote(n)), source.nullValues()) : col(quote(n)));
  }

  /** Exact name first, then ignoring case (exports change case more often than names). */
  private static Optional<String> find(List<String> columns, String wanted) {
    if (columns.contains(wanted)) {
      return Optional.of(wanted);
    }
    return columns.stream().filter(s -> s.equalsIgnoreCase(wanted)).findFirst();
  }

  private static UserError missingColumns(SourceFrame frame, ContractTable table, TableSource source,
      List<String> missing) {
    String which = missing.size() == 1 ? "required column " + missing.get(0) + " is"
        : "required columns " + String.join(", ", missing) + " are";
    return new UserError("table " + table.name() + " (" + source.describe() + "): " + which
        + " missing. Columns found: " + String.join(", ", frame.sourceColumns()) + ". "
        + "Map them under " + source.key() + ".columns (for example " + missing.get(0)
        + ": <source column>)." + delimiterHint(frame, source));
  }

  /** One column whose name holds another delimiter almost always means a wrong delimiter. */
  private static String delimiterHint(SourceFrame frame, TableSource source) {
    if (frame.sourceColumns().size() != 1) {
      return "";
    }
    String only = frame.sourceColumns().get(0);
    for (String d : List.of(";", ",", "\t", "|")) {
      if (only.contains(d) && !d.equals(source.csv().delimiter())) {
        String shown = d.equals("\t") ? "tab" : "'" + d + "'";
        return " The header looks " + shown + "-separated: set " + source.key() + ".csv.delimiter: "
            + (d.equals("\t") ? "tab" : "\"" + d + "\"") + ".";
      }
    }
    return "";
  }

  private static UserError badExpression(TableSource source, AnalysisException e) {
    StringBuilder keys = new StringBuilder();
    source.columns().values().stream().filter(m -> m.expression().isPresent())
        .forEach(m -> keys.append(keys.length() == 0 ? "" : ", ").append(m.key()));
    return new UserError(source.key() + ".columns: an expression does not fit the source ("
        + (keys.length() == 0 ? "check the column names" : "check " + keys) + "): "
        + e.getSimpleMessage());
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
  }

  /** Backticks let names with spaces, dots or umlauts through Spark's parser. */
  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}

package org.crmanalytics.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.io.LocalPaths;
import org.crmanalytics.jobs.config.PipelineConfig.Connection;
import org.crmanalytics.jobs.config.PipelineConfig.Csv;
import org.crmanalytics.jobs.config.PipelineConfig.TableSource;
import org.crmanalytics.jobs.config.PipelineConfig.Text;

/**
 * Reads one configured source into a {@link SourceFrame}. Text formats are read as strings, so the
 * quality gate sees every raw value and decides on types itself; only the schema (a header line,
 * Parquet footers, the database's column list) is looked at here, never the data.
 */
public final class SourceReader {
  private static final String CORRUPT = SourceFrame.RAW_LINE;

  private SourceReader() {}

  public static SourceFrame read(SparkSession spark, TableSource source) {
    try {
      return readUnchecked(spark, source);
    } catch (Exception e) {
      if (e instanceof AnalysisException a && String.valueOf(a.getCondition()).equals("PATH_NOT_FOUND")) {
        throw nothingFound(source);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /** Before Spark starts: every local path of the source (and of the sources it joins) matches something. */
  public static void checkPaths(TableSource source) {
    source.sources().values().forEach(SourceReader::checkPaths);
    if (source.path().isPresent() && !LocalPaths.existsOrRemote(source.path().get())) {
      throw nothingFound(source);
    }
  }

  private static UserError nothingFound(TableSource source) {
    return new UserError(source.key() + ".path: nothing found at " + source.path().orElse("?")
        + "; check the path (relative paths are relative to the config file's folder)");
  }

  private static SourceFrame readUnchecked(SparkSession spark, TableSource source) {
    Dataset<Row> raw = readFormat(spark, source);
    if (source.query().isPresent() && source.format() != org.crmanalytics.jobs.config.PipelineConfig.Format.JDBC) {
      raw = query(spark, source, raw);
    } else if (source.format() == org.crmanalytics.jobs.config.PipelineConfig.Format.JDBC) {
      raw = raw.withColumn(SourceFrame.FILE, lit(source.describe())).withColumn(SourceFrame.MALFORMED, lit(false));
    }
    List<String> sourceColumns = new ArrayList<>();
    for (String c : raw.columns()) {
      if (!c.equals(SourceFrame.FILE) && !c.equals(SourceFrame.MALFORMED) && !c.equals(CORRUPT)) {
        sourceColumns.add(c);
      }
    }
    Dataset<Row> rows = raw.withColumn(SourceFrame.POSITION, monotonically_increasing_id());
    return new SourceFrame(rows, List.copyOf(sourceColumns), source.describe());
  }

  /**
   * The source as its format reads it: the source's columns, {@link SourceFrame#FILE},
   * {@link SourceFrame#MALFORMED} and, for text formats, {@link SourceFrame#RAW_LINE}.
   */
  private static Dataset<Row> readFormat(SparkSession spark, TableSource source) {
    return switch (source.format()) {
      case CSV -> csv(spark, source);
      case JSON -> json(spark, source);
      case PARQUET -> withFile(spark.read().parquet(path(source)), null);
      case TEXT -> text(spark, source);
      case JDBC -> jdbc(spark, source);
    };
  }

  /** {@code value}, or null where it (trimmed) is one of the source's {@code null_values}. */
  public static Column withoutNullWords(Column value, List<String> nullValues) {
    if (nullValues.isEmpty()) {
      return value;
    }
    return when(trim(value).isin(nullValues.toArray()), lit(null).cast("string")).otherwise(value);
  }

  /**
   * A query's rows are not the file's lines (it may group or filter), so a malformed line cannot
   * be quarantined once the query has read it: such a file is refused rather than half-read.
   */
  private static void rejectMalformedUnderQuery(TableSource source, Dataset<Row> raw) {
    // Spark refuses a scan that needs the corrupt-record column alone: read one data column too.
    String dataColumn = java.util.Arrays.stream(raw.columns())
        .filter(c -> !List.of(SourceFrame.FILE, SourceFrame.MALFORMED, SourceFrame.POSITION, CORRUPT).contains(c))
        .findFirst().orElseThrow();
    Row found = raw.filter(col(SourceFrame.MALFORMED)).agg(functions.count(lit(1)),
        functions.collect_set(col(SourceFrame.FILE)), functions.max(col(ColumnMapper.quote(dataColumn)))).first();
    long n = found.getLong(0);
    if (n > 0) {
      List<String> files = found.<String>getList(1).stream().sorted().limit(3).toList();
      throw new UserError(source.key() + ".query: " + n + " line(s) of " + String.join(", ", files)
          + " do not split into the header's columns (wrong delimiter or quoting?). A query reads"
          + " lines as they are, so they cannot be quarantined: fix the file, or map the table"
          + " without 'query' to have such lines quarantined as " + source.table() + ".malformed_record.");
    }
  }

  private static Dataset<Row> csv(SparkSession spark, TableSource source) {
    Csv csv = source.csv();
    DataFrameReader reader =
        spark.read()
            .option("sep", csv.delimiter())
            .option("quote", csv.quote())
            .option("escape", csv.escape())
            .option("header", csv.header())
            .option("encoding", csv.encoding())
            .option("multiLine", csv.multiline())
            .option("mode", "PERMISSIVE")
            .option("ignoreLeadingWhiteSpace", false)
            .option("ignoreTrailingWhiteSpace", false);
    csv.comment().ifPresent(c -> reader.option("comment", c));
    // The header alone gives the column names (no data scan; inferSchema stays off).
    StructType header = reader.csv(path(source)).schema();
    if (header.fields().length == 0) {
      throw new UserError(source.key() + ": " + source.path().orElse("") + " is empty (not even a header "
          + "line). Export the table again, or remove " + source.key() + " if the company has no such data.");
    }
    rejectDuplicateHeaderNames(spark, source, csv);
    List<StructField> fields = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int i = 0;
    for (StructField f : header.fields()) {
      String name = f.name().replace("\uFEFF", "").trim();
      if (name.isEmpty()) {
        name = "_c" + i;
      }
      if (!seen.add(name)) {
        throw new UserError(source.key() + ": " + source.path().orElse("") + " has the column '" + name
            + "' twice in its header; rename one in the export or the file.");
      }
      fields.add(new StructField(name, DataTypes.StringType, true, Metadata.empty()));
      i++;
    }
    fields.add(new StructField(CORRUPT, DataTypes.StringType, true, Metadata.empty()));
    Dataset<Row> rows =
        reader
            .schema(new StructType(fields.toArray(StructField[]::new)))
            .option("enforceSchema", true)
            .option("columnNameOfCorruptRecord", CORRUPT)
            .csv(path(source));
    // The corrupt-record column keeps a malformed line whole (also values beyond the header's
    // columns), so the quarantined row loses nothing.
    return withFile(rows, col(CORRUPT).isNotNull());
  }

  /**
   * Spark silently renames repeated header names (name0, name3); a repeated column in an export
   * is a mistake the user should hear about, so the first line is checked as written.
   */
  private static void rejectDuplicateHeaderNames(SparkSession spark, TableSource source, Csv csv) {
    if (!csv.header()) {
      return;
    }
    List<Row> first = spark.read().schema("value STRING").option("sep", "\u0000").option("quote", "")
        .option("encoding", csv.encoding()).csv(path(source)).limit(1).collectAsList();
    if (first.isEmpty() || first.get(0).isNullAt(0)) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (String raw : first.get(0).getString(0).split(java.util.regex.Pattern.quote(csv.delimiter()), -1)) {
      String name = raw.replace("\uFEFF", "").trim().replaceAll("^" + java.util.regex.Pattern.quote(csv.quote())
          + "|" + java.util.regex.Pattern.quote(csv.quote()) + "$", "");
      if (!name.isEmpty() && !names.add(name)) {
        throw new UserError(source.key() + ": " + source.path().orElse("") + " has the column '" + name
            + "' twice in its header; rename one in the export or the file.");
      }
    }
  }

  private static Dataset<Row> json(SparkSession spark, TableSource source) {
    // JSON has no header: Spark infers the key set from the data. Values stay strings.
    Dataset<Row> rows =
        spark.read()
            .option("primitivesAsString", true)
            .option("encoding", source.csv().encoding())
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", CORRUPT)
            .json(path(source));
    if (rows.columns().length == 0) {
      throw new UserError(source.key() + ": " + source.path().orElse("") + " has no JSON records.");
    }
    boolean hasCorrupt = List.of(rows.columns()).contains(CORRUPT);
    return withFile(rows, hasCorrupt ? col(CORRUPT).isNotNull() : lit(false));
  }

  private static Dataset<Row> text(SparkSession spark, TableSource source) {
    Text text = source.text();
    // Spark's text reader knows only UTF-8; a CSV reader that never splits (NUL separator, no
    // quoting) reads whole lines in the configured encoding.
    Dataset<Row> lines = spark.read()
        .schema("value STRING")
        .option("sep", "\u0000")
        .option("quote", "")
        .option("header", false)
        .option("encoding", text.encoding())
        .option("ignoreLeadingWhiteSpace", false)
        .option("ignoreTrailingWhiteSpace", false)
        .csv(path(source));
    List<String> names = text.columnNames();
    String headerLine = null;
    if (text.header()) {
      List<Row> first = lines.filter(trim(col("value")).notEqual("")).limit(1).collectAsList();
      if (first.isEmpty()) {
        throw new UserError(source.key() + ": " + source.path().orElse("") + " is empty (not even a header line).");
      }
      headerLine = first.get(0).getString(0).trim();
      if (names.isEmpty()) {
        names = List.of(headerLine.split(text.split()));
      }
    }
    if (names.isEmpty()) {
      throw new UserError(source.key() + ".text.columns: name the columns (the file has no header line)");
    }
    Dataset<Row> records = withFile(lines, lit(false)).filter(trim(col("value")).notEqual(""));
    if (headerLine != null) {
      records = records.filter(trim(col("value")).notEqual(headerLine));
    }
    Column tokens = split(trim(col("value")), text.split());
    List<Column> cols = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      cols.add(try_element_at(tokens, lit(i + 1)).as(names.get(i))); // short line: null, flagged below
    }
    cols.add(col(SourceFrame.FILE));
    Column malformed = size(tokens).notEqual(names.size());
    cols.add(malformed.as(SourceFrame.MALFORMED));
    cols.add(when(malformed, col("value")).as(CORRUPT)); // the whole line, extra fields included
    return records.select(cols.toArray(Column[]::new));
  }

  private static Dataset<Row> jdbc(SparkSession spark, TableSource source) {
    Connection c = source.connection().orElseThrow();
    Properties props = new Properties();
    props.putAll(c.properties());
    c.user().ifPresent(u -> props.setProperty("user", u));
    c.password().ifPresent(p -> props.setProperty("password", p.reveal()));
    c.sparkDriver().ifPresent(d -> props.setProperty("driver", d));
    props.setProperty("fetchsize", String.valueOf(c.fetchSize()));
    DataFrameReader reader = spark.read().format("jdbc").option("url", c.sparkUrl()).options(toMap(props));
    if (source.query().isPresent()) {
      if (source.partition().isPresent()) {
        // Spark partitions only a table or a subquery given as dbtable.
        reader.option("dbtable", "(" + source.query().get() + ") src");
      } else {
        reader.option("query", source.query().get());
      }
    } else {
      reader.option("dbtable", source.dbTable().orElseThrow());
    }
    source.partition().ifPresent(p -> reader
        .option("partitionColumn", p.column())
        .option("lowerBound", p.lower())
        .option("upperBound", p.upper())
        .option("numPartitions", p.partitions()));
    try {
      return reader.load();
    } catch (RuntimeException e) {
      throw new UserError(source.key() + ": cannot read " + source.describe() + ": "
          + redact(rootMessage(e), c), null);
    }
  }

  private static Dataset<Row> query(SparkSession spark, TableSource source, Dataset<Row> raw) {
    rejectMalformedUnderQuery(source, raw);
    Dataset<Row> own = raw.drop(SourceFrame.FILE, SourceFrame.MALFORMED, CORRUPT);
    own.createOrReplaceTempView("source");
    StringBuilder views = new StringBuilder("The file is available as the view 'source' with columns "
        + String.join(", ", own.columns()));
    String separator = "; the extra sources as the views ";
    for (var extra : source.sources().entrySet()) {
      Dataset<Row> rows = read(spark, extra.getValue()).rows(); // errors name tables.<t>.sources.<name>
      rejectMalformedUnderQuery(extra.getValue(), rows);
      List<Column> values = new ArrayList<>();
      for (String c : rows.columns()) {
        if (!List.of(SourceFrame.FILE, SourceFrame.MALFORMED, SourceFrame.POSITION, CORRUPT).contains(c)) {
          boolean text = rows.schema().apply(c).dataType() instanceof org.apache.spark.sql.types.StringType;
          Column v = col(ColumnMapper.quote(c));
          values.add((text ? withoutNullWords(v, extra.getValue().nullValues()) : v).as(c));
        }
      }
      Dataset<Row> view = rows.select(values.toArray(Column[]::new));
      view.createOrReplaceTempView(extra.getKey());
      views.append(separator).append("'").append(extra.getKey()).append("' (")
          .append(String.join(", ", view.columns())).append(")");
      separator = ", ";
    }
    try {
      return spark.sql(source.query().get())
          .withColumn(SourceFrame.FILE, lit(source.path().orElse("")))
          .withColumn(SourceFrame.MALFORMED, lit(false));
    } catch (Exception e) {
      if (!(e instanceof AnalysisException a)) {
        throw new UserError(source.key() + ".query: " + rootMessage(e), e);
      }
      throw new UserError(source.key() + ".query: " + a.getSimpleMessage()
          + ". " + views);
    }
  }

  private static Dataset<Row> withFile(Dataset<Row> rows, Column malformed) {
    Dataset<Row> out = rows.withColumn(SourceFrame.FILE, col("_metadata.file_path"));
    return out.withColumn(SourceFrame.MALFORMED, malformed == null ? lit(false) : malformed);
  }

  private static String path(TableSource source) {
    return source.path().orElseThrow();
  }

  private static java.util.Map<String, String> toMap(Properties p) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }

  /**
   * A database source that fails while its rows are read (on an executor, long after the schema
   * was looked at) fails with a driver message deep inside Spark's. One message instead: the
   * table's key, the source, the column the driver names, and what to do. Empty for other
   * errors, and for user errors.
   */
  public static java.util.Optional<UserError> readFailure(TableSource source, SourceFrame frame, Exception e) {
    if (e instanceof UserError || source.format() != org.crmanalytics.jobs.config.PipelineConfig.Format.JDBC) {
      return java.util.Optional.empty();
    }
    Throwable sql = e;
    while (sql != null && !(sql instanceof java.sql.SQLException)) {
      sql = sql.getCause() == sql ? null : sql.getCause();
    }
    if (sql == null) {
      return java.util.Optional.empty();
    }
    Connection c = source.connection().orElseThrow();
    String message = redact(String.valueOf(sql.getMessage()), c);
    List<String> named = frame.sourceColumns().stream()
        .filter(col -> message.contains("'" + col + "'") || message.contains("`" + col + "`")
            || message.contains("\"" + col + "\"")).toList();
    String column = named.isEmpty() ? "" : " (column " + String.join(", ", named) + ")";
    return java.util.Optional.of(new UserError(source.key() + ": reading " + source.describe() + " failed" + column
        + ": " + message + ". Check the column's type in the database against the contract's; a query under "
        + source.key() + ".query can convert it (for example CAST(" + (named.isEmpty() ? "<column>" : named.get(0))
        + " AS CHAR) AS <contract column>).", null));
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  /** Drivers sometimes echo the URL or user back; never let a password through. */
  static String redact(String message, Connection c) {
    String out = message;
    if (c.password().isPresent() && !c.password().get().reveal().isEmpty()) {
      out = out.replace(c.password().get().reveal(), "******");
    }
    return out.replaceAll("(?i)(password=)[^&;\\s]*", "$1******");
  }
}

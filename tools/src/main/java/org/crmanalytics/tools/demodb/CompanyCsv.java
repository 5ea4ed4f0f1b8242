package org.crmanalytics.tools.demodb;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.models.contract.ContractColumn;
import org.crmanalytics.models.contract.ContractTable;

/**
 * Reads one table of a company in the bundled sample's file layout ({@code <dir>/<table>/*.csv}:
 * comma-separated, header line with contract column names, UTF-8, ISO dates {@code yyyy-MM-dd},
 * timestamps {@code yyyy-MM-dd HH:mm:ss}) with the contract's types. The same dialect as
 * data-samples/mappings/sample.yaml, so the database gets exactly what an ingest of the files sees.
 */
public final class CompanyCsv {
  /** Set on a row whose values do not fit the contract types. */
  public static final String MALFORMED = "_malformed";
  private static final String CORRUPT = "_corrupt_record";

  public static final String DATE_FORMAT = "yyyy-MM-dd";
  public static final String TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss";

  private CompanyCsv() {}

  /**
   * The table's contract columns in contract order, plus {@link #MALFORMED}. Columns are found by
   * header name, so their order in the file does not matter; optional columns the file lacks are
   * null; timestamps are wall-clock times (TIMESTAMP_NTZ), written to the database as they read.
   */
  public static Dataset<Row> read(SparkSession spark, String path, ContractTable table) {
    StructType header = reader(spark).csv(path).schema(); // the header line only, no data scan
    List<StructField> fields = new ArrayList<>();
    for (StructField f : header.fields()) {
      String name = f.name().replace("\uFEFF", "").trim();
      DataType type = contractColumn(table, name).map(ContractColumn::type).orElse(DataTypes.StringType);
      fields.add(new StructField(name, type, true, Metadata.empty()));
    }
    fields.add(new StructField(CORRUPT, DataTypes.StringType, true, Metadata.empty()));
    Dataset<Row> rows =
        reader(spark)
            .schema(new StructType(fields.toArray(StructField[]::new)))
            .option("enforceSchema", true)
            .csv(path);
    List<Column> out = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (ContractColumn c : table.columns()) {
      Optional<String> found = fields.stream().map(StructField::name)
          .filter(n -> !n.equals(CORRUPT) && n.equalsIgnoreCase(c.name())).findFirst();
      if (found.isEmpty() && c.required()) {
        missing.add(c.name());
        continue;
      }
      Column value = found.map(n -> col("`" + n.replace("`", "``") + "`")).orElse(lit(null).cast(c.type()));
      if (c.type() instanceof TimestampType) {
        value = value.cast(DataTypes.TimestampNTZType);
      }
      out.add(value.as(c.name()));
    }
    if (!missing.isEmpty()) {
      throw new UserError("table " + table.name() + " (" + path + "): required column"
          + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + " missing from the header; "
          + "the files must use the contract's column names (docs/data-contract.md)");
    }
    out.add(col(CORRUPT).isNotNull().as(MALFORMED));
    return rows.select(out.toArray(Column[]::new));
  }

  private static DataFrameReader reader(SparkSession spark) {
    return spark.read()
        .option("header", true)
        .option("sep", ",")
        .option("quote", "\"")
        .option("escape", "\"")
        .option("encoding", "UTF-8")
        .option("multiLine", true)
        .option("dateFormat", DATE_FORMAT)
        .option("timestampFormat", TIMESTAMP_FORMAT)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT);
  }

  private static Optional<ContractColumn> contractColumn(ContractTable table, String name) {
    return table.columns().stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
  }
}

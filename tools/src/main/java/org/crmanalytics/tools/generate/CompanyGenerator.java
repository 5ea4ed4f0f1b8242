package org.crmanalytics.tools.generate;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.spark.SparkInternals;

/**
 * Generates the company's data with Spark. The catalogues (products, campaigns, reps) are built
 * on the driver from the seed; the customers and all their events are simulated on the
 * executors, partition by partition of {@code spark.range(customers)}. Each table is one Spark
 * job that re-simulates the parts of each life it needs; that is cheaper than caching tens of
 * millions of events, and every job sees identical lives because they depend only on
 * (seed, customer index).
 */
public final class CompanyGenerator {
  private CompanyGenerator() {}

  /** Rows per output file the per-customer tables aim at. */
  private static final long ROWS_PER_FILE = 1_000_000;
  /** At most this many customers per generation task, so that large runs use all cores. */
  private static final long CUSTOMERS_PER_TASK = 100_000;

  /** Rows written per table folder (relative to the output folder), and the elapsed time. */
  public record Result(Map<String, Long> rowsPerTable, Duration elapsed) {}

  public static Result generate(SparkSession spark, GeneratorSettings settings, Console console) {
    long started = System.nanoTime();
    CompanyModel model = CompanyModel.build(settings.seed(), settings.customers(),
        settings.years(), settings.endDate());
    console.info(String.format(java.util.Locale.ROOT,
        "Generating %,d customers, %s to %s, seed %d, %s into %s", settings.customers(),
        model.startDate(), model.endDate(), settings.seed(), settings.format().extension,
        settings.out()));
    Broadcast<CompanyModel> broadcast =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
    Map<String, Long> rows = new LinkedHashMap<>();
    try {
      writeCatalogue(spark, settings, console, Contract.Products.NAME,
          TableRows.contractSchema(Contract.Products.NAME), CatalogueRows.products(model), rows);
      writeCatalogue(spark, settings, console, Contract.Campaigns.NAME,
          TableRows.contractSchema(Contract.Campaigns.NAME), CatalogueRows.campaigns(model),
          rows);
      for (TableRows.PerCustomerTable table : TableRows.PerCustomerTable.values()) {
        writePerCustomer(spark, settings, console, broadcast, table, rows);
      }
      writeSalesTargets(spark, settings, console, model, rows);
      writeCatalogue(spark, settings, console,
          GroundTruth.FOLDER + "/" + GroundTruth.IndustryAffinity.NAME,
          GroundTruth.IndustryAffinity.SCHEMA, CatalogueRows.industryAffinity(model), rows);
      writeCatalogue(spark, settings, console,
          GroundTruth.FOLDER + "/" + GroundTruth.ComplementGroups.NAME,
          GroundTruth.ComplementGroups.SCHEMA, CatalogueRows.complementGroups(), rows);
    } finally {
      broadcast.destroy();
    }
    return new Result(rows, Duration.ofNanos(System.nanoTime() - started));
  }

  /** Generation partitions of a per-customer table: from its expected size, or as requested. */
  static int partitions(GeneratorSettings settings, TableRows.PerCustomerTable table) {
    if (settings.partitions() != null) {
      return settings.partitions();
    }
    double expectedRows = settings.customers() * table.rowsPerCustomer * settings.years() / 3.0;
    long bySize = (long) Math.ceil(expectedRows / ROWS_PER_FILE);
    long byWork = (settings.customers() + CUSTOMERS_PER_TASK - 1) / CUSTOMERS_PER_TASK;
    return (int) Math.max(1, Math.min(settings.customers(), Math.max(bySize, byWork)));
  }

  private static void writePerCustomer(SparkSession spark, GeneratorSettings settings,
      Console console, Broadcast<CompanyModel> model, TableRows.PerCustomerTable table,
      Map<String, Long> rows) {
    String folder = table.isGroundTruth()
        ? GroundTruth.FOLDER + "/" + table.tableName : table.tableName;
    Console.Stage stage = console.stage(folder, spark);
    CollectionAccumulator<long[]> counts =
        spark.sparkContext().collectionAccumulator(table.tableName + " rows");
    spark.sparkContext().setJobDescription("generate " + folder);
    Dataset<Row> data =
        spark.range(0, settings.customers(), 1, partitions(settings, table))
            .mapPartitions(new CustomerRowsFunction(model, table, counts), encoder(table.schema));
    int files = write(spark, data, settings, folder, table.tableName);
    long written = countRows(counts);
    rows.put(folder, written);
    stage.done(settings.customers(), written, files + (files == 1 ? " file" : " files"));
  }

  /**
   * Targets are set relative to what the reps achieved, so they are planned from the tables
   * just written (read back with their contract schema), not from a further simulation pass.
   */
  private static void writeSalesTargets(SparkSession spark, GeneratorSettings settings,
      Console console, CompanyModel company, Map<String, Long> rows) {
    Console.Stage stage = console.stage(Contract.SalesTargets.NAME, spark);
    spark.sparkContext().setJobDescription("generate sales_targets: achieved results");
    List<Row> achieved = SalesTargetPlanner.achieved(
            readBack(spark, settings, Contract.Customers.NAME),
            readBack(spark, settings, Contract.Sales.NAME),
            readBack(spark, settings, Contract.Activities.NAME),
            readBack(spark, settings, Contract.Offers.NAME),
            company.startDate())
        .collectAsList();
    List<Row> targets = SalesTargetPlanner.plan(company, SalesTargetPlanner.toMap(achieved));
    Dataset<Row> data = spark
        .createDataFrame(targets, TableRows.contractSchema(Contract.SalesTargets.NAME))
        .coalesce(1);
    int files = write(spark, data, settings, Contract.SalesTargets.NAME,
        Contract.SalesTargets.NAME);
    rows.put(Contract.SalesTargets.NAME, (long) targets.size());
    stage.done(achieved.size(), targets.size(), files + (files == 1 ? " file" : " files"));
  }

  /** A table this run wrote, read with its contract schema. */
  private static Dataset<Row> readBack(SparkSession spark, GeneratorSettings settings,
      String table) {
    String path = settings.out() + "/" + table;
    if (settings.format() == GeneratorSettings.Format.PARQUET) {
      return spark.read().parquet(path);
    }
    return spark.read()
        .schema(TableRows.contractSchema(table))
        .options(csvOptions())
        .csv(path);
  }

  private static void writeCatalogue(SparkSession spark, GeneratorSettings settings,
      Console console, String folder, StructType schema, List<Row> data, Map<String, Long> rows) {
    Console.Stage stage = console.stage(folder, spark);
    spark.sparkContext().setJobDescription("generate " + folder);
    String table = folder.substring(folder.lastIndexOf('/') + 1);
    int files = write(spark, spark.createDataFrame(data, schema).coalesce(1), settings, folder,
        table);
    rows.put(folder, (long) data.size());
    stage.done(0, data.size(), files + (files == 1 ? " file" : " files"));
  }

  /** Writes one table folder and gives its files their deterministic names. */
  private static int write(SparkSession spark, Dataset<Row> data, GeneratorSettings settings,
      String folder, String table) {
    String path = settings.out() + "/" + folder;
    var writer = data.write().mode(SaveMode.Overwrite);
    if (settings.format() == GeneratorSettings.Format.CSV) {
      writer.options(csvOptions()).csv(path);
    } else {
      writer.options(parquetOptions(data.schema(), table)).parquet(path);
    }
    return OutputFiles.finish(spark.sparkContext().hadoopConfiguration(), path, table,
        settings.format().extension);
  }

  /** RFC 4180 CSV: header, comma, double quotes doubled inside quotes, ISO dates, UTF-8. */
  static Map<String, String> csvOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("header", "true");
    options.put("sep", ",");
    options.put("quote", "\"");
    options.put("escape", "\"");
    options.put("encoding", "UTF-8");
    options.put("nullValue", "");
    options.put("dateFormat", "yyyy-MM-dd");
    options.put("timestampFormat", "yyyy-MM-dd HH:mm:ss");
    return options;
  }

  /**
   * Parquet's dictionary encoding pays off for codes and names but not for columns whose values
   * are nearly all distinct (ids, timestamps, amounts): there it builds a dictionary, overflows
   * and falls back, a fifth of the write time. Those columns are written plain.
   */
  static Map<String, String> parquetOptions(StructType schema, String table) {
    Map<String, String> options = new LinkedHashMap<>();
    // The document id leading a key (order_id, invoice_id, ...), not codes like campaign_id.
    List<String> key = Contract.table(table).map(t -> t.key()).orElse(List.of());
    String uniqueId = key.size() == 1 || table.equals(Contract.Sales.NAME) ? key.get(0) : null;
    for (var field : schema.fields()) {
      boolean distinct = field.name().equals(uniqueId)
          || field.dataType() instanceof org.apache.spark.sql.types.TimestampType
          || (field.dataType() instanceof org.apache.spark.sql.types.DecimalType
              && !field.name().equals(Contract.Sales.QUANTITY));
      if (distinct) {
        options.put("parquet.enable.dictionary#" + field.name(), "false");
      }
    }
    return options;
  }

  private static long countRows(CollectionAccumulator<long[]> counts) {
    Map<Long, Long> byPartition = new HashMap<>();
    for (long[] c : counts.value()) {
      byPartition.put(c[0], c[1]);
    }
    long total = 0;
    for (long n : byPartition.values()) {
      total += n;
    }
    return total;
  }

  /**
   * A lenient row encoder: accepts java.time values (LocalDate, Instant), which carry no time
   * zone surprises, whatever spark.sql.datetime.java8API.enabled says.
   */
  static Encoder<Row> encoder(StructType schema) {
    return SparkInternals.lenientRowEncoder(schema);
  }
}

package org.crmanalytics.tools.demodb;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;
import org.crmanalytics.tools.demodb.DemoDatabase.Vendor;

/**
 * Loads a company from files into the demo database: reads every table with the contract schema
 * and checks it, recreates the eleven tables with explicit DDL, then appends each table with
 * Spark's JDBC writer (several partitions, large batches, multi-row INSERTs), parents before
 * children so that the foreign keys hold at every step, and compares the database's row count
 * with the files'.
 */
public final class DemoDbLoader {
  /** Rows per Spark partition, i.e. per concurrent INSERT connection. */
  static final int ROWS_PER_PARTITION = 20_000;
  /** More concurrent writers than this only make a laptop's database slower. */
  static final int MAX_WRITERS = 8;
  static final int BATCH_SIZE = 10_000;

  /** One loaded table: where it went and how many rows it holds now. */
  public record LoadedTable(String table, String qualifiedName, long rows, Duration elapsed) {}

  private final Console console;

  public DemoDbLoader(Console console) {
    this.console = console;
  }

  /**
   * Loads {@code data} (a folder per table) into {@code target}. {@code connection} is open on
   * {@code target}; it runs the DDL and the counts.
   */
  public List<LoadedTable> load(SparkSession spark, JdbcTarget target, Connection connection,
      DemoDatabase db, Path data) {
    Map<ContractTable, Dataset<Row>> files = new LinkedHashMap<>();
    Map<ContractTable, Long> counts = new LinkedHashMap<>();
    try {
      readAndCheck(spark, data, files, counts);
      recreateTables(target, connection, db);
      List<LoadedTable> loaded = new ArrayList<>();
      for (ContractTable t : Contract.TABLES) {
        Dataset<Row> rows = files.get(t);
        if (rows == null) {
          continue;
        }
        loaded.add(write(spark, target, connection, db, t, rows, counts.get(t)));
      }
      if (db.vendor() == Vendor.POSTGRESQL) {
        analyze(target, connection, loaded);
      }
      return loaded;
    } finally {
      files.values().forEach(Dataset::unpersist);
    }
  }

  /** Reads every table the folder has, keeps it in memory and counts rows that break the types. */
  private void readAndCheck(SparkSession spark, Path data, Map<ContractTable, Dataset<Row>> files,
      Map<ContractTable, Long> counts) {
    if (!Files.isDirectory(data)) {
      throw new UserError("--data: " + data + " is not a folder; it should hold a folder per table "
          + "(customers/, sales/, ...) with CSV files, like data-samples/company/");
    }
    for (ContractTable t : Contract.TABLES) {
      Path dir = data.resolve(t.name());
      if (!Files.exists(dir)) {
        if (t.required()) {
          throw new UserError("--data: " + data + " has no folder " + t.name() + "/ (customers and sales are "
              + "required); is this a company folder like data-samples/company/?");
        }
        console.info(String.format(Locale.ROOT, "%-24s no folder %s/, the table stays empty", "load " + t.name(),
            t.name()));
        continue;
      }
      spark.sparkContext().setJobDescription("demo-db: read " + t.name());
      Dataset<Row> rows = CompanyCsv.read(spark, dir.toString(), t).persist(StorageLevel.MEMORY_AND_DISK());
      files.put(t, rows);
      Row r = rows.agg(count(lit(1)), sum(when(col(CompanyCsv.MALFORMED), 1).otherwise(0))).first();
      long total = r.getLong(0);
      long malformed = r.isNullAt(1) ? 0 : r.getLong(1);
      if (malformed > 0) {
        throw new UserError(String.format(Locale.ROOT, "table %s (%s): %,d of %,d rows have values that do not "
            + "fit the data contract's types (dates %s, timestamps %s, numbers with '.', true/false). "
            + "Run 'crm-analytics ingest' on these files to see which rows and why.",
            t.name(), dir, malformed, total, CompanyCsv.DATE_FORMAT, CompanyCsv.TIMESTAMP_FORMAT));
      }
      counts.put(t, total);
    }
  }

  /**
   * Drops and creates the demo's tables. On PostgreSQL in one transaction, so a failure leaves the
   * previous tables; MariaDB commits each DDL statement by itself.
   */
  private void recreateTables(JdbcTarget target, Connection c, DemoDatabase db) {
    boolean transactional = db.vendor() == Vendor.POSTGRESQL;
    String current = "";
    try {
      c.setAutoCommit(!transactional);
      try (Statement s = c.createStatement()) {
        List<String> ddl = new ArrayList<>(db.createSchemas());
        ddl.addAll(db.dropTables());
        ddl.addAll(db.createTables());
        for (String sql : ddl) {
          current = sql;
          console.detail(sql.replace('\n', ' '));
          s.execute(sql);
        }
      }
      if (transactional) {
        c.commit();
      }
      c.setAutoCommit(true);
    } catch (SQLException e) {
      if (transactional) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the connection is gone; the database rolls back by itself
        }
      }
      String statement = current.lines().findFirst().orElse("").replaceAll("\\s*\\($", "");
      throw new UserError("cannot create the demo tables in " + target.url() + " (" + statement + "): "
          + target.describe(e));
    }
  }

  private LoadedTable write(SparkSession spark, JdbcTarget target, Connection c, DemoDatabase db,
      ContractTable t, Dataset<Row> rows, long expected) {
    String name = db.qualifiedName(t.name());
    Console.Stage stage = console.stage("load " + t.name(), spark);
    int writers = (int) Math.max(1, Math.min(Math.min(MAX_WRITERS, spark.sparkContext().defaultParallelism()),
        (expected + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION));
    spark.sparkContext().setJobDescription("demo-db: load " + name);
    try {
      rows.drop(CompanyCsv.MALFORMED)
          .repartition(writers)
          .write()
          .format("jdbc")
          .mode(SaveMode.Append) // into the table created above, never one Spark would create
          .options(target.sparkOptions())
          .option("dbtable", name)
          .option("batchsize", BATCH_SIZE)
          .option("numPartitions", writers)
          .save();
    } catch (RuntimeException e) {
      // No cause attached: Spark's message for a failed batch quotes the rows it held.
      throw new UserError("cannot load " + name + " in " + target.url() + ": " + target.describe(e));
    }
    long inDatabase = countRows(target, c, name);
    Duration elapsed = stage.done(expected, inDatabase, "-> " + name + "  (" + writers + " writers)");
    if (inDatabase != expected) {
      throw new UserError(String.format(Locale.ROOT, "%s holds %,d rows after the load, the files %,d; is another "
          + "load into the same schema running? Use --schema-prefix to keep loads apart.", name, inDatabase, expected));
    }
    return new LoadedTable(t.name(), name, inDatabase, elapsed);
  }

  private static long countRows(JdbcTarget target, Connection c, String name) {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + name)) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new UserError("cannot count the rows of " + name + ": " + target.describe(e));
    }
  }

  /** Fresh planner statistics, as after any bulk load, so that queries on the demo are fast. */
  private static void analyze(JdbcTarget target, Connection c, List<LoadedTable> loaded) {
    try (Statement s = c.createStatement()) {
      for (LoadedTable t : loaded) {
        s.execute("ANALYZE " + t.qualifiedName());
      }
    } catch (SQLException e) {
      throw new UserError("cannot analyze the demo tables: " + target.describe(e));
    }
  }
}

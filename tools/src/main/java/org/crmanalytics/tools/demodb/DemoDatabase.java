package org.crmanalytics.tools.demodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampType;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractColumn;
import org.crmanalytics.models.contract.ContractTable;

/**
 * The demo CRM/ERP database: which contract table lives in which schema (PostgreSQL) or database
 * (MariaDB/MySQL), and the DDL that creates it with real SQL types, primary keys from the contract
 * key and foreign keys from the contract's references. Pure: builds SQL text, runs nothing.
 */
public final class DemoDatabase {
  /** Schema (PostgreSQL) or database (MariaDB) of the CRM tables. */
  public static final String CRM = "crm";
  /** Schema (PostgreSQL) or database (MariaDB) of the ERP tables. */
  public static final String ERP = "erp";

  /** Where a company keeps each table: customer-facing data in the CRM, money and goods in the ERP. */
  private static final Map<String, String> SYSTEM_OF =
      Map.ofEntries(
          Map.entry(Contract.Customers.NAME, CRM),
          Map.entry(Contract.Activities.NAME, CRM),
          Map.entry(Contract.Offers.NAME, CRM),
          Map.entry(Contract.Tickets.NAME, CRM),
          Map.entry(Contract.Campaigns.NAME, CRM),
          Map.entry(Contract.CampaignMembers.NAME, CRM),
          Map.entry(Contract.SalesTargets.NAME, CRM),
          Map.entry(Contract.Products.NAME, ERP),
          Map.entry(Contract.Sales.NAME, ERP),
          Map.entry(Contract.Invoices.NAME, ERP),
          Map.entry(Contract.Payments.NAME, ERP),
          Map.entry(Contract.DunningNotices.NAME, ERP));

  /** Ids and other short codes; long enough for any CRM's keys, short enough for composite keys. */
  static final int ID_LENGTH = 64;
  /** Names, categories and other one-line texts. */
  static final int TEXT_LENGTH = 255;

  /** The two database families the demo supports; both drivers ship with crm-analytics. */
  public enum Vendor {
    POSTGRESQL("org.postgresql.Driver", "reWriteBatchedInserts"),
    MARIADB("org.mariadb.jdbc.Driver", "rewriteBatchedStatements");

    private final String driver;
    private final String batchRewriteProperty;

    Vendor(String driver, String batchRewriteProperty) {
      this.driver = driver;
      this.batchRewriteProperty = batchRewriteProperty;
    }

    /** The JDBC driver class. */
    public String driver() {
      return driver;
    }

    /** The driver property that turns a JDBC batch into multi-row INSERTs (several times faster). */
    public String batchRewriteProperty() {
      return batchRewriteProperty;
    }

    /** The vendor of a JDBC URL, or a {@link UserError} that says which URLs work. */
    public static Vendor of(String url) {
      String u = url.toLowerCase(Locale.ROOT);
      if (u.startsWith("jdbc:postgresql:")) {
        return POSTGRESQL;
      }
      if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
        return MARIADB;
      }
      throw new UserError("--jdbc-url: expected a PostgreSQL or MariaDB/MySQL URL, for example "
          + "jdbc:postgresql://127.0.0.1:5432/test or jdbc:mariadb://127.0.0.1:3306/test");
    }
  }

  private final Vendor vendor;
  private final String prefix;

  /**
   * @param prefix put in front of the schema (database) names {@code crm} and {@code erp}, so that
   *     several copies can live side by side; lower-case letters, digits and '_'
   */
  public DemoDatabase(Vendor vendor, String prefix) {
    if (!prefix.matches("[a-z0-9_]*") || (!prefix.isEmpty() && !Character.isLetter(prefix.charAt(0)))) {
      throw new UserError("--schema-prefix: use lower-case letters, digits and '_', starting with a letter "
          + "(for example demo_), found '" + prefix + "'");
    }
    this.vendor = vendor;
    this.prefix = prefix;
  }

  public Vendor vendor() {
    return vendor;
  }

  /** {@link #CRM} or {@link #ERP}: the system that keeps {@code table}, before any prefix. */
  public static String schemaOf(String table) {
    String system = SYSTEM_OF.get(table);
    if (system == null) {
      throw new IllegalArgumentException("not a contract table: " + table);
    }
    return system;
  }

  /** The schema (PostgreSQL) or database (MariaDB) that holds {@code table}. */
  public String schema(String table) {
    return prefix + schemaOf(table);
  }

  /** {@code crm.customers}: the name a mapping file puts under {@code table:}. */
  public String qualifiedName(String table) {
    return schema(table) + "." + table;
  }

  /** Both schemas (databases), CRM first. */
  public List<String> schemas() {
    return List.of(prefix + CRM, prefix + ERP);
  }

  /** Statements that create the schemas if they are missing; never drops one. */
  public List<String> createSchemas() {
    List<String> out = new ArrayList<>();
    for (String s : schemas()) {
      out.add(vendor == Vendor.POSTGRESQL
          ? "CREATE SCHEMA IF NOT EXISTS " + s
          : "CREATE DATABASE IF NOT EXISTS " + s + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }
    return out;
  }

  /**
   * Drops the demo's tables, children before parents so that no foreign key is in the way. Only
   * these eleven tables: anything else in the schemas is left alone.
   */
  public List<String> dropTables() {
    List<String> out = new ArrayList<>();
    List<ContractTable> tables = new ArrayList<>(Contract.TABLES);
    java.util.Collections.reverse(tables);
    for (ContractTable t : tables) {
      out.add("DROP TABLE IF EXISTS " + qualifiedName(t.name()));
    }
    return out;
  }

  /** CREATE TABLE (and index) statements, parents before children. */
  public List<String> createTables() {
    List<String> out = new ArrayList<>();
    for (ContractTable t : Contract.TABLES) {
      out.add(createTable(t));
      if (t.name().equals(Contract.Sales.NAME)) {
        // The mappings split the read of the largest table by order date; the index lets each
        // of those range queries read only its part.
        out.add("CREATE INDEX " + t.name() + "_order_date_idx ON " + qualifiedName(t.name()) + " ("
            + quote(Contract.Sales.ORDER_DATE) + ")");
      }
    }
    return out;
  }

  /** One table: contract columns in contract order, NOT NULL where required, keys and references. */
  public String createTable(ContractTable table) {
    StringBuilder sql = new StringBuilder("CREATE TABLE ").append(qualifiedName(table.name())).append(" (\n");
    for (ContractColumn c : table.columns()) {
      sql.append("  ").append(quote(c.name())).append(' ').append(sqlType(table, c));
      if (c.required()) {
        sql.append(" NOT NULL");
      }
      sql.append(",\n");
    }
    sql.append("  CONSTRAINT ").append(table.name()).append("_pk PRIMARY KEY (")
        .append(String.join(", ", table.key().stream().map(this::quote).toList())).append(')');
    for (ContractColumn c : table.columns()) {
      if (c.references().isEmpty()) {
        continue;
      }
      ContractTable parent = Contract.table(c.references().get()).orElseThrow();
      if (parent.key().size() != 1) {
        throw new IllegalStateException(table.name() + "." + c.name() + " references " + parent.name()
            + ", whose key has " + parent.key().size() + " columns");
      }
      sql.append(",\n  CONSTRAINT ").append(table.name()).append('_').append(c.name()).append("_fk FOREIGN KEY (")
          .append(quote(c.name())).append(") REFERENCES ").append(qualifiedName(parent.name())).append(" (")
          .append(quote(parent.key().get(0))).append(')');
    }
    sql.append("\n)");
    if (vendor == Vendor.MARIADB) {
      // Binary collation: keys compare exactly as in the files ('c1' and 'C1' are two customers).
      sql.append(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
    }
    return sql.toString();
  }

  /** The SQL type of a contract column. */
  String sqlType(ContractTable table, ContractColumn c) {
    DataType t = c.type();
    if (t instanceof StringType) {
      if (table.key().contains(c.name()) || c.references().isPresent() || c.name().endsWith("_id")) {
        return "VARCHAR(" + ID_LENGTH + ")";
      }
      // Notes and descriptions are free text of any length, the way CRMs store them.
      return c.meaning().startsWith("Free text") ? "TEXT" : "VARCHAR(" + TEXT_LENGTH + ")";
    }
    if (t instanceof DecimalType d) {
      return "NUMERIC(" + d.precision() + "," + d.scale() + ")";
    }
    if (t instanceof IntegerType) {
      return "INTEGER";
    }
    if (t instanceof DateType) {
      return "DATE";
    }
    if (t instanceof TimestampType) {
      // Wall-clock time without a zone. MariaDB's TIMESTAMP converts to the session's zone and
      // ends in 2038; DATETIME is its zone-less type.
      return vendor == Vendor.POSTGRESQL ? "TIMESTAMP" : "DATETIME";
    }
    if (t instanceof BooleanType) {
      return "BOOLEAN";
    }
    throw new IllegalStateException(table.name() + "." + c.name() + ": no SQL type for " + t.simpleString());
  }

  /** Contract names are plain lower-case words; quoting keeps words like "type" and "period" safe. */
  String quote(String identifier) {
    return vendor == Vendor.POSTGRESQL ? "\"" + identifier + "\"" : "`" + identifier + "`";
  }
}

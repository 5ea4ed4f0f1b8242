package org.crmanalytics.jobs.writeback;

import java.util.Locale;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;

/** What differs between the two databases the write-back supports. */
public enum Dialect {
  POSTGRESQL("org.postgresql.Driver"),
  MARIADB("org.mariadb.jdbc.Driver");

  private final String driver;

  Dialect(String driver) {
    this.driver = driver;
  }

  public String driver() {
    return driver;
  }

  /** The dialect of a JDBC URL; empty for databases the write-back does not support. */
  public static java.util.Optional<Dialect> of(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:postgresql:")) {
      return java.util.Optional.of(POSTGRESQL);
    }
    if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
      return java.util.Optional.of(MARIADB);
    }
    return java.util.Optional.empty();
  }

  /**
   * Quotes a name that {@link SqlName} has already checked (letters, digits, '_'), so the quote
   * character cannot occur inside it.
   */
  public String quote(String plainName) {
    if (!plainName.matches(SqlName.PATTERN)) {
      throw new IllegalArgumentException("unchecked SQL name: " + plainName);
    }
    return this == POSTGRESQL ? "\"" + plainName + "\"" : "`" + plainName + "`";
  }

  /**
   * The column type of a written column (JSON for the structured reasons); a text key column is
   * VARCHAR(255), which MariaDB can index (TEXT it cannot).
   */
  public String type(DataType type, boolean key) {
    boolean pg = this == POSTGRESQL;
    if (key && (type == null || type instanceof StringType)) {
      return "VARCHAR(255)";
    }
    if (type instanceof StringType) {
      return "TEXT";
    }
    if (type instanceof DoubleType) {
      return pg ? "DOUBLE PRECISION" : "DOUBLE";
    }
    if (type instanceof IntegerType) {
      return "INTEGER";
    }
    if (type instanceof LongType) {
      return "BIGINT";
    }
    if (type instanceof DecimalType dec) { // money: exact, as the pipeline holds it
      return "DECIMAL(" + dec.precision() + ", " + dec.scale() + ")";
    }
    if (type instanceof DateType) {
      return "DATE";
    }
    if (type instanceof BooleanType) {
      return "BOOLEAN";
    }
    // Arrays and structs (the churn reasons) travel as JSON text.
    return pg ? "JSONB" : "JSON";
  }

  public String timestampType() {
    return this == POSTGRESQL ? "TIMESTAMPTZ" : "DATETIME(6)";
  }

  /** The transaction's time, in UTC on MariaDB (whose NOW() is the session's zone). */
  public String now() {
    return this == POSTGRESQL ? "now()" : "UTC_TIMESTAMP(6)";
  }

  /** Table options: MariaDB needs InnoDB for transactions and utf8mb4 for every character. */
  public String tableOptions() {
    return this == POSTGRESQL ? "" : " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  }

  /** Null-safe "differs": IS DISTINCT FROM, or MariaDB's NOT (a <=> b). */
  public String differs(String a, String b) {
    return this == POSTGRESQL ? a + " IS DISTINCT FROM " + b : "NOT (" + a + " <=> " + b + ")";
  }
}

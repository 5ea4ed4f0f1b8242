package org.crmanalytics.jobs.config;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pipeline configuration, validated and immutable. Built by {@link ConfigLoader}; every
 * field was checked before Spark starts. docs/configuration.md documents each key.
 *
 * @param source where it came from (file path, or "bundled sample"), for messages
 * @param asOf the date the run sees the world as of; events after it are not yet known
 * @param output root of all outputs: an absolute local path or a Hadoop URI (hdfs://, s3a://)
 * @param currency the currency of the company's amounts (ISO 4217, EUR when not configured): how reasons write them
 * @param spark extra Spark settings ({@code spark.executor.memory: 4g})
 * @param tables the configured sources by contract table name, in contract order
 * @param sections the stages' own sections, bound into their settings records ({@link #settings})
 */
public record PipelineConfig(
    String source,
    LocalDate asOf,
    String output,
    String currency,
    Map<String, String> spark,
    Map<String, TableSource> tables,
    StageSettings sections) {

  /** The currency of a configuration without the key {@code currency}. */
  public static final String DEFAULT_CURRENCY = "EUR";

  public PipelineConfig {
    spark = Map.copyOf(spark);
    tables = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tables));
  }

  public PipelineConfig withOutput(String newOutput) {
    return new PipelineConfig(source, asOf, newOutput, currency, spark, tables, sections);
  }

  public PipelineConfig withOutput(Path newOutput) {
    return withOutput(newOutput.toAbsolutePath().normalize().toString());
  }

  public PipelineConfig withAsOf(LocalDate newAsOf) {
    return new PipelineConfig(source, newAsOf, output, currency, spark, tables, sections.at(newAsOf));
  }

  /** Spark settings may carry credentials (s3a secret keys): print their names only. */
  @Override
  public String toString() {
    return "PipelineConfig[source=" + source + ", asOf=" + asOf + ", output=" + output + ", spark="
        + new java.util.TreeSet<>(spark.keySet()) + " (values hidden), tables=" + tables.keySet()
        + ", " + sections + "]";
  }

  /**
   * A stage's settings record, bound from its section by the loader ({@code config.settings(AbcSettings.class)});
   * the defaults when the file has no such section.
   */
  public <T> T settings(Class<T> type) {
    return sections.get(type);
  }

  /** A copy with only these sources (a backfill of some tables). */
  public PipelineConfig withTables(Map<String, TableSource> newTables) {
    return new PipelineConfig(source, asOf, output, currency, spark, newTables, sections);
  }

  public Optional<TableSource> table(String name) {
    return Optional.ofNullable(tables.get(name));
  }

  /** Source formats the pipeline reads. */
  public enum Format { CSV, PARQUET, JSON, TEXT, JDBC }

  /**
   * How one contract table is read and mapped.
   *
   * @param key the config key of this table ({@code tables.sales}), for messages
   * @param path file, folder or glob (absolute); empty for JDBC
   * @param query SQL: over the file registered as view {@code source}, or run by the database
   * @param dbTable JDBC table name, when no query is given
   * @param columns contract column → how to get it from the source
   * @param nullValues text values that mean "no value" ({@code NULL}, {@code -}, {@code n/a}),
   *     compared after trimming; they read as null before the quality gate
   * @param sources extra files by view name, for the query to join (files only)
   */
  public record TableSource(
      String table,
      String key,
      Format format,
      Optional<String> path,
      Csv csv,
      Text text,
      Optional<String> query,
      Optional<String> dbTable,
      Optional<Connection> connection,
      Optional<JdbcPartition> partition,
      Parsing parsing,
      Map<String, ColumnMapping> columns,
      List<String> nullValues,
      Map<String, TableSource> sources) {

    public TableSource {
      columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
      nullValues = List.copyOf(nullValues);
      sources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sources));
    }

    /** Where the data comes from, for messages and the manifest (no credentials). */
    public String describe() {
      if (format == Format.JDBC) {
        String what = dbTable.map(t -> "table " + t).orElse("query");
        return "jdbc " + what + " on " + connection.map(Connection::describe).orElse("?");
      }
      return format.name().toLowerCase(java.util.Locale.ROOT) + " " + path.orElse("?")
          + (sources.isEmpty() ? "" : " joined with " + String.join(", ", sources.keySet()))
          + (query.isPresent() ? " (with query)" : "");
    }
  }

  /** CSV dialect. */
  public record Csv(
      String delimiter, String quote, String escape, boolean header, String encoding,
      boolean multiline, Optional<String> comment) {}

  /** Plain text split by a regular expression (whitespace-aligned exports such as CDNOW). */
  public record Text(String split, boolean header, List<String> columnNames, String encoding) {}

  /** How strings become numbers, dates, timestamps and booleans. */
  public record Parsing(
      List<String> dates,
      List<String> timestamps,
      String decimalSeparator,
      String groupingSeparator,
      List<String> trueWords,
      List<String> falseWords) {
    public Parsing {
      dates = List.copyOf(dates);
      timestamps = List.copyOf(timestamps);
      trueWords = List.copyOf(trueWords);
      falseWords = List.copyOf(falseWords);
    }
  }

  /** A contract column from a source column, or from a SQL expression over the source row. */
  public record ColumnMapping(
      String contractColumn, String key, Optional<String> sourceColumn, Optional<String> expression) {
    public String describe() {
      return sourceColumn.map(c -> "source column '" + c + "'")
          .orElseGet(() -> "expression " + expression.orElse("?"));
    }
  }

  /** A database connection; the password is a {@link Secret}. */
  public record Connection(
      String name, String url, Optional<String> user, Optional<Secret> password,
      Optional<String> driver, Map<String, String> properties, int fetchSize) {
    public Connection {
      properties = Map.copyOf(properties);
    }

    /** The URL Spark reads with: see {@link #sparkUrl(String)}. */
    public String sparkUrl() {
      return sparkUrl(url);
    }

    /**
     * Spark picks its SQL dialect from the URL prefix and knows MariaDB only as "jdbc:mysql:";
     * under "jdbc:mariadb:" it would quote column names with double quotes, which MariaDB reads
     * as text, so every row would hold the column names ("value 'customerNumber' cannot be
     * decoded as Integer"). A MariaDB URL is therefore given to Spark with the mysql prefix and
     * permitMysqlScheme, which lets the MariaDB driver accept it; other URLs stay as written.
     */
    public static String sparkUrl(String url) {
      if (!url.regionMatches(true, 0, "jdbc:mariadb:", 0, "jdbc:mariadb:".length())) {
        return url;
      }
      String u = "jdbc:mysql:" + url.substring("jdbc:mariadb:".length());
      if (u.toLowerCase(java.util.Locale.ROOT).contains("permitmysqlscheme")) {
        return u;
      }
      return u + (u.contains("?") ? "&" : "?") + "permitMysqlScheme";
    }

    /** The driver class: as configured, else the MariaDB driver for a MariaDB URL. */
    public Optional<String> sparkDriver() {
      if (driver.isPresent() || !url.regionMatches(true, 0, "jdbc:mariadb:", 0, "jdbc:mariadb:".length())) {
        return driver;
      }
      return Optional.of("org.mariadb.jdbc.Driver");
    }

    /** The URL without user info or query parameters (which may carry credentials). */
    public String describe() {
      String safe = url.replaceAll("//[^/@]*@", "//").replaceAll("[?;].*$", "");
      return "'" + name + "' (" + safe + ")";
    }

    @Override
    public String toString() {
      return "Connection[" + describe() + ", user=" + user.orElse("") + ", password="
          + (password.isPresent() ? "******" : "none") + "]";
    }
  }

  /** Parallel JDBC read: rows split into ranges of a numeric or date column. */
  public record JdbcPartition(String column, String lower, String upper, int partitions) {}
}

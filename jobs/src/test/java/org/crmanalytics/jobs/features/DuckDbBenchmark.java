package org.crmanalytics.jobs.features;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Locale;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * The DuckDB side of bin/benchmark-stages: the snapshot's core aggregates (the cross-check's SQL,
 * {@link DuckDbSnapshotCheck.CoreAggregates}) over the silver tables of one as_of, written to a
 * Parquet file as the Spark stages write theirs, and timed from opening the database to the
 * closed file. Prints one line of {@code key=value} pairs for the script.
 *
 * <pre>DuckDbBenchmark SILVER_ROOT AS_OF OUTPUT_FILE</pre>
 */
public final class DuckDbBenchmark {
  private DuckDbBenchmark() {}

  public static void main(String[] args) throws SQLException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: DuckDbBenchmark SILVER_ROOT AS_OF OUTPUT_FILE");
    }
    Path silver = Path.of(args[0]);
    LocalDate asOf = LocalDate.parse(args[1]);
    Path output = Path.of(args[2]).toAbsolutePath();
    Path customers = silver.resolve("customers/as_of=" + asOf);
    Path sales = silver.resolve("sales/as_of=" + asOf);
    String sql = DuckDbSnapshotCheck.CoreAggregates.of(customers, sales, asOf,
        CustomerSnapshot.Settings.DEFAULTS.windowsDays()).sql();

    long start = System.nanoTime();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      st.execute("COPY (" + sql + ") TO '" + output + "' (FORMAT parquet)");
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    // Counted after the clock stopped: what the figure covers, not part of it.
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM read_parquet('" + output + "')), "
            + "(SELECT count(*) FROM read_parquet('" + sales.toAbsolutePath() + "/*.parquet')), "
            + "current_setting('threads')")) {
      rs.next();
      System.out.printf(Locale.ROOT, "duckdb_seconds=%.3f customers=%d sales_lines=%d threads=%s%n",
          seconds, rs.getLong(1), rs.getLong(2), rs.getString(3));
    }
  }
}

package org.crmanalytics.jobs.features;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Recomputes RFM and the 12-month figures (order counts, revenue, margin) with DuckDB SQL from
 * the silver Parquet files, without any code of the pipeline, and compares them with a snapshot
 * written by Spark, customer by customer. The window bounds are DuckDB's own date arithmetic, not
 * the pipeline's.
 */
final class DuckDbSnapshotCheck {
  /** What was compared: rows, the customers that differ (up to 5, as text), and a total to show it is not empty. */
  record Outcome(long snapshotRows, long expectedRows, long mismatches, List<String> examples,
      long customersWithOrders12m, BigDecimal revenue12m, BigDecimal margin12m, long orders730d) {}

  private DuckDbSnapshotCheck() {}

  /**
   * The snapshot's core aggregates per customer as DuckDB SQL over the silver Parquet: recency,
   * order count and revenue over the windows, and order count, revenue and contribution margin of
   * the last 12 months and the 12 before; {@code columns} are the snapshot columns it computes.
   * Shared by the cross-check and both engines' side of bin/benchmark-stages.
   */
  record CoreAggregates(String sql, List<String> columns) {
    static CoreAggregates of(Path customersSilver, Path salesSilver, LocalDate asOf, List<Integer> windows) {
      return of(Dialect.DUCKDB, customersSilver, salesSilver, asOf, windows);
    }

    /** The same query text in {@code dialect}: only the table reference and the day difference differ. */
    static CoreAggregates of(Dialect dialect, Path customersSilver, Path salesSilver, LocalDate asOf,
        List<Integer> windows) {
      String d = "DATE '" + asOf + "'";
      List<String> columns = new ArrayList<>();
      StringBuilder sql = new StringBuilder("SELECT c.customer_id");
      sql.append(", ").append(dialect.daysBetween("max(s.order_date) FILTER (WHERE s.line_type = 'order')", d))
          .append(" AS days_since_last_order");
      columns.add("days_since_last_order");
      for (Span w : Span.all(asOf, windows)) {
        sql.append(", count(DISTINCT s.order_id) FILTER (WHERE s.line_type = 'order' AND ").append(w.condition())
            .append(") AS order_count_").append(w.suffix());
        sql.append(", coalesce(sum(s.net_amount) FILTER (WHERE ").append(w.condition()).append("), 0) AS revenue_")
            .append(w.suffix());
        columns.add("order_count_" + w.suffix());
        columns.add("revenue_" + w.suffix());
        if (w.margin()) {
          // docs/features.md: 0 without lines in the window, null when none of them has a cost.
          sql.append(", CASE WHEN count(*) FILTER (WHERE ").append(w.condition()).append(") = 0 THEN 0")
              .append(" ELSE sum(s.net_amount - s.cost_amount) FILTER (WHERE ").append(w.condition())
              .append(" AND s.cost_amount IS NOT NULL) END AS margin_").append(w.suffix());
          columns.add("margin_" + w.suffix());
        }
      }
      sql.append(" FROM (SELECT customer_id FROM ").append(dialect.table(customersSilver))
          .append(" WHERE created_at IS NULL OR created_at <= ").append(d).append(") c")
          .append(" LEFT JOIN (SELECT * FROM ").append(dialect.table(salesSilver))
          .append(" WHERE order_date <= ").append(d).append(") s ON s.customer_id = c.customer_id")
          .append(" GROUP BY c.customer_id");
      return new CoreAggregates(sql.toString(), List.copyOf(columns));
    }
  }

  /**
   * One span of the core aggregates over sales lines aliased {@code s}: the column suffix, the
   * condition on the line's date, and whether the span has a margin.
   */
  record Span(String suffix, String condition, boolean margin) {
    /** The day windows, then the last 12 months and the 12 before (these two with margin). */
    static List<Span> all(LocalDate asOf, List<Integer> windows) {
      String d = "DATE '" + asOf + "'";
      List<Span> spans = new ArrayList<>();
      for (int n : windows) {
        spans.add(new Span(n + "d", "s.order_date > " + d + " - INTERVAL " + n + " DAY", false));
      }
      spans.add(new Span("12m", "s.order_date > " + d + " - INTERVAL 12 MONTH", true));
      spans.add(new Span("prev_12m", "s.order_date > " + d + " - INTERVAL 24 MONTH AND s.order_date <= " + d
          + " - INTERVAL 12 MONTH", true));
      return spans;
    }
  }

  /**
   * Where DuckDB SQL and Spark SQL spell the core aggregates differently: a silver table's Parquet
   * folder as a relation (%s: the folder), and the whole days from one date to another (%1$s: from,
   * %2$s: to).
   */
  enum Dialect {
    // Spark's output folder holds _SUCCESS and hidden .crc files beside the data: DuckDB reads only *.parquet.
    DUCKDB("read_parquet('%s/*.parquet')", "date_diff('day', %1$s, %2$s)"),
    SPARK("parquet.`%s`", "datediff(%2$s, %1$s)");

    private final String table;
    private final String daysBetween;

    Dialect(String table, String daysBetween) {
      this.table = table;
      this.daysBetween = daysBetween;
    }

    String table(Path folder) {
      return String.format(table, existing(folder));
    }

    String daysBetween(String from, String to) {
      return String.format(daysBetween, from, to);
    }
  }

  static Outcome compare(Path customersSilver, Path salesSilver, Path snapshot, LocalDate asOf, List<Integer> windows)
      throws SQLException {
    CoreAggregates expected = CoreAggregates.of(customersSilver, salesSilver, asOf, windows);
    List<String> columns = expected.columns();
    StringBuilder differs = new StringBuilder("e.customer_id IS NULL OR a.customer_id IS NULL");
    StringBuilder shown = new StringBuilder("coalesce(e.customer_id, a.customer_id)");
    for (String c : columns) {
      differs.append(" OR e.").append(c).append(" IS DISTINCT FROM a.").append(c);
      shown.append(", '").append(c).append("=' || coalesce(CAST(e.").append(c).append(" AS VARCHAR), 'null') || '/' || coalesce(CAST(a.")
          .append(c).append(" AS VARCHAR), 'null')");
    }
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      st.execute("CREATE TEMP TABLE expected AS " + expected.sql());
      st.execute("CREATE TEMP VIEW actual AS SELECT * FROM " + Dialect.DUCKDB.table(snapshot));
      long snapshotRows = single(st, "SELECT count(*) FROM actual");
      long expectedRows = single(st, "SELECT count(*) FROM expected");
      String join = " FROM expected e FULL OUTER JOIN actual a ON e.customer_id = a.customer_id WHERE " + differs;
      long mismatches = single(st, "SELECT count(*)" + join);
      List<String> examples = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT concat_ws(' ', " + shown + ")" + join + " ORDER BY 1 LIMIT 5")) {
        while (rs.next()) {
          examples.add(rs.getString(1));
        }
      }
      long withOrders = single(st, "SELECT count(*) FROM expected WHERE order_count_12m > 0");
      long orders730 = windows.contains(730) ? single(st, "SELECT sum(order_count_730d) FROM expected") : -1;
      BigDecimal revenue;
      BigDecimal margin;
      try (ResultSet rs = st.executeQuery("SELECT sum(revenue_12m), sum(margin_12m) FROM expected")) {
        rs.next();
        revenue = rs.getBigDecimal(1);
        margin = rs.getBigDecimal(2);
      }
      return new Outcome(snapshotRows, expectedRows, mismatches, examples, withOrders, revenue, margin, orders730);
    }
  }

  private static long single(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Path existing(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("no Parquet folder " + folder);
    }
    return folder.toAbsolutePath();
  }
}

package org.crmanalytics.jobs.writeback;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * The file sinks of the write-back: one CSV file for a CRM's import (UTF-8 with BOM, ';', optionally
 * decimal commas, ISO dates, the structured reasons as JSON in one column) and a Parquet folder.
 * Both are staged and moved into place, so a reader never sees half a file.
 */
public final class FileExport {
  public static final char SEPARATOR = ';';
  private static final char BOM = '\uFEFF';
  private static final String FORMULA_START = "=+-@\t\r";

  private FileExport() {}

  /** The scores with nested columns as JSON text: what both file sinks write. */
  static Dataset<Row> flat(Dataset<Row> scores) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : scores.schema().fields()) {
      boolean nested = f.dataType() instanceof ArrayType || f.dataType() instanceof StructType;
      cols.add(nested ? to_json(col(f.name())).as(f.name()) : col(f.name()));
    }
    return scores.select(cols.toArray(Column[]::new));
  }

  /**
   * Writes one CSV file at {@code finalFile}: staged as a one-file Spark text output under
   * {@code stagedFolder} (written by one task, never collected to the driver), then moved into place.
   */
  public static void csv(Dataset<Row> scores, boolean decimalComma, String stagedFolder, String finalFile,
      Configuration hadoop) {
    Dataset<Row> flat = flat(scores);
    String header = BOM + String.join(String.valueOf(SEPARATOR), flat.schema().fieldNames());
    Dataset<String> lines = flat.coalesce(1)
        .sortWithinPartitions(col(CustomerScores.CUSTOMER_ID))
        .mapPartitions(new CsvLines(header, decimalComma), Encoders.STRING());
    lines.write().mode(SaveMode.Overwrite).text(stagedFolder);
    moveSingleFile(stagedFolder, finalFile, hadoop);
  }

  /** Writes the flat scores as Parquet to a staged folder; the caller commits it. */
  public static void parquet(Dataset<Row> scores, String stagedFolder) {
    flat(scores).write().mode(SaveMode.Overwrite).parquet(stagedFolder);
  }

  /** Header first, then one line per row. */
  static final class CsvLines implements MapPartitionsFunction<Row, String> {
    private static final long serialVersionUID = 1L;
    private final String header;
    private final boolean decimalComma;

    CsvLines(String header, boolean decimalComma) {
      this.header = header;
      this.decimalComma = decimalComma;
    }

    @Override
    public Iterator<String> call(Iterator<Row> rows) {
      return new Iterator<>() {
        boolean headerDone;

        @Override
        public boolean hasNext() {
          return !headerDone || rows.hasNext();
        }

        @Override
        public String next() {
          if (!headerDone) {
            headerDone = true;
            return header;
          }
          return line(rows.next(), decimalComma);
        }
      };
    }
  }

  static String line(Row r, boolean decimalComma) {
    StringBuilder out = new StringBuilder(256);
    for (int i = 0; i < r.length(); i++) {
      if (i > 0) {
        out.append(SEPARATOR);
      }
      out.append(field(r.get(i), decimalComma));
    }
    return out.toString();
  }

  /**
   * One value: numbers in plain notation (never 1.0E-5, which Excel reads as text), quoted text.
   * Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
   * return; OWASP "CSV injection") gets a leading apostrophe, so a name such as
   * {@code =HYPERLINK(...)} from the CRM stays text when the file is opened in Excel.
   */
  static String field(Object v, boolean decimalComma) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return Double.toString(d);
      }
      String plain = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
      return decimalComma ? plain.replace('.', ',') : plain;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    String s = v.toString(); // dates print as yyyy-MM-dd
    if (!s.isEmpty() && FORMULA_START.indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.indexOf(SEPARATOR) >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  /** Moves the one part file of a Spark text output to {@code finalFile}, replacing it atomically. */
  static void moveSingleFile(String stagedFolder, String finalFile, Configuration hadoop) {
    try {
      Path folder = new Path(stagedFolder);
      FileSystem fs = folder.getFileSystem(hadoop);
      FileStatus[] parts = fs.globStatus(new Path(folder, "part-*"));
      if (parts == null || parts.length != 1) {
        throw new IllegalStateException("expected one part file in " + stagedFolder + ", found "
            + (parts == null ? 0 : parts.length));
      }
      Path target = new Path(finalFile);
      fs.mkdirs(target.getParent());
      if (fs instanceof LocalFileSystem local) {
        // Locally one atomic rename replaces the file: a reader sees the old file or the new one.
        Files.move(java.nio.file.Path.of(local.pathToFile(parts[0].getPath()).getPath()),
            java.nio.file.Path.of(local.pathToFile(target).getPath()),
            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        fs.delete(tmp, false);
        if (!fs.rename(parts[0].getPath(), tmp)) {
          throw new IOException("cannot move " + parts[0].getPath() + " to " + tmp);
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
          throw new IOException("cannot move " + tmp + " to " + target);
        }
      }
      fs.delete(folder, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + finalFile, e);
    }
  }
}

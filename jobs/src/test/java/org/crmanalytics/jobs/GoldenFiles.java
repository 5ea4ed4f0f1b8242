package org.crmanalytics.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The golden files of the stage tests: an output as CSV text, compared line by line with a file
 * in src/test/resources. After an intended change, run the test with {@code -Dgolden.update=true},
 * review the diff of the files and commit them.
 */
public final class GoldenFiles {
  private GoldenFiles() {}

  /**
   * The rows as CSV lines, header first, in the order of the given columns (which must make the
   * order total). Doubles have six decimals, so that a last-bit difference of a sum does not show;
   * decimals keep their scale; map entries are sorted by key.
   */
  public static List<String> csvLines(Dataset<Row> rows, String... orderBy) {
    String[] rest = Arrays.copyOfRange(orderBy, 1, orderBy.length);
    List<String> lines = new ArrayList<>();
    lines.add(String.join(",", rows.columns()));
    for (Row r : rows.orderBy(orderBy[0], rest).collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        cells.add(quoted(text(r.get(i))));
      }
      lines.add(String.join(",", cells));
    }
    return lines;
  }

  private static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double || v instanceof Float) {
      return String.format(Locale.ROOT, "%.6f", ((Number) v).doubleValue());
    }
    if (v instanceof BigDecimal b) {
      return b.toPlainString();
    }
    if (v instanceof scala.collection.Map<?, ?> m) {
      Map<String, String> sorted = new TreeMap<>();
      CollectionConverters.asJava(m).forEach((k, x) -> sorted.put(text(k), text(x)));
      List<String> entries = new ArrayList<>();
      sorted.forEach((k, x) -> entries.add(k + "=" + x));
      return String.join(";", entries);
    }
    return v.toString();
  }

  private static String quoted(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** Fails unless {@code actual} equals the golden file's lines; writes the file first under -Dgolden.update=true. */
  public static void assertGolden(Path file, List<String> actual) throws IOException {
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, String.join("\n", actual) + "\n");
    }
    assertTrue(Files.exists(file), "no golden file " + file + "; run with -Dgolden.update=true and review it");
    List<String> expected = Files.readAllLines(file);
    if (!expected.equals(actual)) {
      // The first differing lines, not the whole lists: a golden output has up to thousands of lines.
      Set<String> was = new HashSet<>(expected);
      Set<String> is = new HashSet<>(actual);
      List<String> missing = expected.stream().filter(l -> !is.contains(l)).limit(20).toList();
      List<String> extra = actual.stream().filter(l -> !was.contains(l)).limit(20).toList();
      fail(file + " changed (" + expected.size() + " lines expected, " + actual.size() + " found); missing " + missing
          + "; unexpected " + extra + (missing.isEmpty() && extra.isEmpty() ? "; the same lines in another order" : ""));
    }
  }
}

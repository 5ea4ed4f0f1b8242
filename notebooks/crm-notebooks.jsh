// Shared by the notebooks (%load crm-notebooks.jsh): where the run's outputs are, DuckDB over their
// Parquet files, query results as Tablesaw tables, and two plain Java2D charts (line and bar).
// Spark stays out of the kernel: it is unreliable there (code generation, lambdas); the outputs
// are plain Parquet and JSON, which DuckDB reads directly.
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import tech.tablesaw.api.Table;

/** The output root of a pipeline run: $CRM_ANALYTICS_OUT, else ../out (what `bin/crm-analytics run` writes). */
Path outputRoot() {
  String env = System.getenv("CRM_ANALYTICS_OUT");
  Path root = (env == null || env.isBlank() ? Path.of("..", "out") : Path.of(env)).toAbsolutePath().normalize();
  if (!Files.isDirectory(root)) {
    throw new IllegalStateException("no pipeline output at " + root + ": run `bin/crm-analytics run` in the "
        + "project root, or set CRM_ANALYTICS_OUT to the --out of a run");
  }
  return root;
}

Path OUT = outputRoot();
Connection DUCK = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new Properties());

/** The dates of an output's as_of=<date> folders that hold Parquet files, oldest first (none: empty). */
List<String> asOfDates(String output) throws Exception {
  Path folder = OUT.resolve(output);
  List<String> dates = new ArrayList<>();
  if (Files.isDirectory(folder)) {
    try (var s = Files.list(folder)) {
      // A folder without Parquet (an interrupted write) would fail DuckDB's read_parquet.
      s.filter(p -> p.getFileName().toString().startsWith("as_of=") && hasParquet(p))
          .map(p -> p.getFileName().toString().substring(6)).sorted().forEach(dates::add);
    }
  }
  return dates;
}

boolean hasParquet(Path folder) {
  try (var files = Files.newDirectoryStream(folder, "*.parquet")) {
    return files.iterator().hasNext();
  } catch (java.io.IOException e) {
    return false;
  }
}

/** The latest as_of=<date> folder of an output (e.g. "kpis/values"), or an error that says what to run. */
String latestAsOf(String output, String producedBy) throws Exception {
  List<String> dates = asOfDates(output);
  if (dates.isEmpty()) {
    throw new IllegalStateException("no " + output + " output under " + OUT + ": the " + producedBy
        + " stage writes it (bin/crm-analytics run --stages " + producedBy + ")");
  }
  return dates.get(dates.size() - 1);
}

/** DuckDB's table function over the Parquet files of one output and date (Spark's _SUCCESS is skipped). */
String parquet(String output, String asOf) {
  return "read_parquet('" + OUT.resolve(output).resolve("as_of=" + asOf).resolve("*.parquet") + "')";
}

/** A query's result as a Tablesaw table (print it with .print() or .printAll()). */
Table query(String sql) throws Exception {
  try (var st = DUCK.createStatement(); var rs = st.executeQuery(sql)) {
    return Table.read().db(rs);
  }
}

/** The numbers of one column of a query, in row order. */
double[] numbers(String sql) throws Exception {
  List<Double> out = new ArrayList<>();
  try (var st = DUCK.createStatement(); var rs = st.executeQuery(sql)) {
    while (rs.next()) {
      out.add(rs.getDouble(1));
    }
  }
  return out.stream().mapToDouble(Double::doubleValue).toArray();
}

Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
    new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75)};

Graphics2D canvas(BufferedImage img, String title) {
  Graphics2D g = img.createGraphics();
  g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
  g.setColor(Color.WHITE);
  g.fillRect(0, 0, img.getWidth(), img.getHeight());
  g.setColor(Color.BLACK);
  g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
  g.drawString(title, 10, 20);
  g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
  return g;
}

/** A short tick label: 2.5 M, 750 k, 0.25. */
String axisLabel(double v) {
  double a = Math.abs(v);
  return a >= 1e6 ? String.format(java.util.Locale.ROOT, "%.1f M", v / 1e6)
      : a >= 1e4 ? String.format(java.util.Locale.ROOT, "%.0f k", v / 1e3)
      : a >= 10 ? String.format(java.util.Locale.ROOT, "%.0f", v)
      : String.format(java.util.Locale.ROOT, "%.2f", v);
}

/**
 * Lines through (x, y) points: series name -> {xs, ys}. With {@code diagonal}, the line y = x
 * (a random ROC curve, a perfectly calibrated model) is drawn for reference.
 */
BufferedImage lineChart(String title, String xLabel, String yLabel, Map<String, double[][]> series, boolean diagonal) {
  int w = 640, h = 400, left = 60, right = 150, top = 35, bottom = 45;
  double xMax = 0, yMax = 0;
  for (double[][] s : series.values()) {
    for (double x : s[0]) xMax = Math.max(xMax, x);
    for (double y : s[1]) yMax = Math.max(yMax, y);
  }
  if (diagonal) { xMax = Math.max(xMax, 1); yMax = Math.max(yMax, 1); }
  xMax = xMax == 0 ? 1 : xMax;
  yMax = yMax == 0 ? 1 : yMax * (diagonal ? 1 : 1.05);
  BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
  Graphics2D g = canvas(img, title);
  int pw = w - left - right, ph = h - top - bottom;
  g.setColor(Color.LIGHT_GRAY);
  for (int i = 0; i <= 4; i++) {
    int y = top + ph - ph * i / 4;
    g.drawLine(left, y, left + pw, y);
    g.setColor(Color.DARK_GRAY);
    g.drawString(axisLabel(yMax * i / 4), 5, y + 4);
    int x = left + pw * i / 4;
    g.drawString(axisLabel(xMax * i / 4), x - 12, top + ph + 15);
    g.setColor(Color.LIGHT_GRAY);
  }
  g.setColor(Color.BLACK);
  g.drawRect(left, top, pw, ph);
  g.drawString(xLabel, left + pw / 2 - 30, h - 8);
  g.drawString(yLabel, 5, top - 5 + 0);
  if (diagonal) {
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
    g.drawLine(left, top + ph, left + (int) (pw * Math.min(1, 1 / xMax)), top + ph - (int) (ph * Math.min(1, 1 / yMax)));
  }
  int k = 0;
  for (var e : series.entrySet()) {
    Color c = PALETTE[k % PALETTE.length];
    g.setColor(c);
    g.setStroke(new BasicStroke(2));
    double[] xs = e.getValue()[0], ys = e.getValue()[1];
    for (int i = 0; i < xs.length; i++) {
      int x = left + (int) (pw * xs[i] / xMax), y = top + ph - (int) (ph * ys[i] / yMax);
      if (i > 0) {
        g.drawLine(left + (int) (pw * xs[i - 1] / xMax), top + ph - (int) (ph * ys[i - 1] / yMax), x, y);
      }
      g.fillOval(x - 2, y - 2, 4, 4);
    }
    g.drawString(e.getKey(), left + pw + 10, top + 15 + 15 * k);
    k++;
  }
  g.dispose();
  return img;
}

/** Horizontal bars, one per label, with the value printed beside each. */
BufferedImage barChart(String title, List<String> labels, double[] values, String format) {
  int rowHeight = 22, left = 170, right = 110, top = 35;
  int w = 640, h = top + rowHeight * labels.size() + 15;
  double max = 0;
  for (double v : values) max = Math.max(max, Math.abs(v));
  max = max == 0 ? 1 : max;
  BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
  Graphics2D g = canvas(img, title);
  int pw = w - left - right;
  for (int i = 0; i < labels.size(); i++) {
    int y = top + i * rowHeight;
    g.setColor(Color.BLACK);
    String label = labels.get(i).length() > 26 ? labels.get(i).substring(0, 25) + "…" : labels.get(i);
    g.drawString(label, 5, y + 15);
    g.setColor(PALETTE[0]);
    g.fillRect(left, y + 3, (int) (pw * Math.abs(values[i]) / max), rowHeight - 6);
    g.setColor(Color.BLACK);
    g.drawString(String.format(java.util.Locale.ROOT, format, values[i]),
        left + (int) (pw * Math.abs(values[i]) / max) + 5, y + 15);
  }
  g.dispose();
  return img;
}

/**
 * Shares in [0, 1] as a grid of cells labelled in percent, shaded from white (0) to blue (the
 * largest share shown: shares of a few tens of percent would all look pale against 100 %); NaN: a
 * grey cell without label. Column labels are drawn upright, as item names are long.
 */
BufferedImage heatMap(String title, List<String> rows, List<String> columns, double[][] values) {
  int cell = 46, rowHeight = 22, left = 190, top = 165;
  double max = 0;
  for (double[] row : values) for (double v : row) if (!Double.isNaN(v)) max = Math.max(max, v);
  max = max == 0 ? 1 : max;
  int w = Math.max(640, left + cell * columns.size() + 10), h = top + rowHeight * rows.size() + 15;
  BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
  Graphics2D g = canvas(img, title);
  for (int j = 0; j < columns.size(); j++) {
    String label = columns.get(j).length() > 21 ? columns.get(j).substring(0, 20) + "…" : columns.get(j);
    var saved = g.getTransform();
    g.translate(left + j * cell + cell / 2 + 4, top - 5);
    g.rotate(-Math.PI / 2);
    g.setColor(Color.BLACK);
    g.drawString(label, 0, 0);
    g.setTransform(saved);
  }
  for (int i = 0; i < rows.size(); i++) {
    int y = top + i * rowHeight;
    g.setColor(Color.BLACK);
    String label = rows.get(i).length() > 28 ? rows.get(i).substring(0, 27) + "…" : rows.get(i);
    g.drawString(label, 5, y + 15);
    for (int j = 0; j < columns.size(); j++) {
      double v = values[i][j];
      int x = left + j * cell;
      if (Double.isNaN(v)) {
        g.setColor(new Color(230, 230, 230));
        g.fillRect(x, y, cell - 1, rowHeight - 1);
        continue;
      }
      double t = Math.max(0, Math.min(1, v / max));
      Color c = new Color((int) (255 - t * (255 - PALETTE[0].getRed())), (int) (255 - t * (255 - PALETTE[0].getGreen())),
          (int) (255 - t * (255 - PALETTE[0].getBlue())));
      g.setColor(c);
      g.fillRect(x, y, cell - 1, rowHeight - 1);
      g.setColor(t > 0.7 ? Color.WHITE : Color.BLACK);
      g.drawString(String.format(java.util.Locale.ROOT, "%.0f%%", 100 * v), x + 4, y + 15);
    }
  }
  g.dispose();
  return img;
}

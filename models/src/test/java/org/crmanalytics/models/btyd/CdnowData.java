package org.crmanalytics.models.btyd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.PublicDataSets;

/**
 * The CDNOW 1/10 sample (Fader and Hardie; ../shared/datasets/cdnow, see its README.md): not part
 * of the repository. A test that needs it is skipped when it is absent, except on CI
 * ({@code CI=true}), where a missing file is a failure ({@link PublicDataSets}).
 */
final class CdnowData {
  static final String SOURCE = "CDNOW 1/10 sample (Fader & Hardie, brucehardie.com; copies in "
      + "CamDavidsonPilon/lifetimes lifetimes/datasets/ and cran/BTYD data/)";
  static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
  static final LocalDate HOLDOUT_END = LocalDate.of(1998, 6, 30);
  static final StructType LOG_SCHEMA = new StructType()
      .add("customer_id", DataTypes.StringType)
      .add("date", DataTypes.DateType)
      .add("amount", DataTypes.DoubleType);
  static final BtydSummary.LogColumns LOG_COLUMNS = new BtydSummary.LogColumns("customer_id", "date", "amount");

  private CdnowData() {}

  /** The file under cdnow/, or a skipped test (a failure on CI) when it is absent. */
  static Path require(String name) {
    return PublicDataSets.require("cdnow/" + name, SOURCE);
  }

  /**
   * CDNOW_sample.txt: whitespace separated, no header: master id, sample id, date YYYYMMDD, CDs,
   * dollar value. The sample id (1..2357) is the customer id that BTYD and the summaries use.
   */
  static Dataset<Row> transactions(SparkSession spark) {
    Path file = require("CDNOW_sample.txt");
    List<Row> rows = new ArrayList<>();
    try {
      int line = 0;
      for (String raw : Files.readAllLines(file)) {
        line++;
        String s = raw.strip();
        if (s.isEmpty()) {
          continue;
        }
        String[] f = s.split("\\s+");
        if (f.length != 5) {
          throw new IllegalStateException(file + " line " + line + ": expected 5 fields, found " + f.length);
        }
        rows.add(RowFactory.create(String.valueOf(Integer.parseInt(f[1])),
            Date.valueOf(LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE)), Double.parseDouble(f[4])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return spark.createDataFrame(rows, LOG_SCHEMA);
  }

  /** cdnow_customers_summary_with_transactions.csv: ID → {x, t_x, T, zbar} as published (2 decimals). */
  static java.util.Map<String, double[]> publishedSummary() {
    Path file = require("cdnow_customers_summary_with_transactions.csv");
    java.util.Map<String, double[]> out = new java.util.HashMap<>();
    try {
      List<String> lines = Files.readAllLines(file);
      for (String raw : lines.subList(1, lines.size())) {
        String[] f = raw.strip().split(",");
        if (f.length == 5) {
          out.put(f[0], new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
              Double.parseDouble(f[4])});
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}

package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.kpis.KpiSettings.PeriodType;

/**
 * The calendar periods a run reports on. Built on the driver: their number is bounded by the
 * configured history (at most a few hundred rows), not by the data.
 */
public final class ReportingPeriods {
  public static final String START = "period_start";
  /** The last day that counts: the period's last day, or as_of for the period that contains it. */
  public static final String END = "period_end";
  /** The period's position in {@link #list}: a number to group by where the period's names would cost more. */
  public static final String KEY = "period_key";

  public static final StructType SCHEMA = new StructType()
      .add(KpiOutput.PERIOD_TYPE, StringType, false)
      .add(KpiOutput.PERIOD, StringType, false)
      .add(START, DateType, false)
      .add(END, DateType, false)
      .add(KpiOutput.PARTIAL, BooleanType, false)
      .add(KEY, IntegerType, false);

  private ReportingPeriods() {}

  /** One period as reported: label, first day, last counted day, and whether it runs past as_of. */
  public record Period(PeriodType type, String label, LocalDate start, LocalDate end, boolean partial) {
    Row row(int key) {
      return RowFactory.create(type.id(), label, java.sql.Date.valueOf(start), java.sql.Date.valueOf(end), partial,
          key);
    }
  }

  /**
   * The periods of each configured type from the month {@code historyMonths - 1} months before
   * as_of's month up to the period containing as_of; none after as_of.
   */
  public static List<Period> list(LocalDate asOf, KpiSettings settings) {
    LocalDate first = asOf.withDayOfMonth(1).minusMonths(settings.historyMonths() - 1L);
    List<Period> out = new ArrayList<>();
    for (PeriodType type : settings.periods()) {
      Set<LocalDate> starts = new LinkedHashSet<>();
      for (LocalDate month = first; !month.isAfter(asOf); month = month.plusMonths(1)) {
        starts.add(start(type, month));
      }
      for (LocalDate start : starts) {
        LocalDate naturalEnd = next(type, start).minusDays(1);
        boolean partial = naturalEnd.isAfter(asOf);
        out.add(new Period(type, label(type, start), start, partial ? asOf : naturalEnd, partial));
      }
    }
    return out;
  }

  public static Dataset<Row> table(SparkSession spark, LocalDate asOf, KpiSettings settings) {
    List<Period> periods = list(asOf, settings);
    return spark.createDataFrame(IntStream.range(0, periods.size()).mapToObj(i -> periods.get(i).row(i)).toList(),
        SCHEMA);
  }

  static LocalDate start(PeriodType type, LocalDate day) {
    return switch (type) {
      case MONTH -> day.withDayOfMonth(1);
      case QUARTER -> LocalDate.of(day.getYear(), (day.getMonthValue() - 1) / 3 * 3 + 1, 1);
      case YEAR -> LocalDate.of(day.getYear(), 1, 1);
    };
  }

  static LocalDate next(PeriodType type, LocalDate start) {
    return switch (type) {
      case MONTH -> start.plusMonths(1);
      case QUARTER -> start.plusMonths(3);
      case YEAR -> start.plusYears(1);
    };
  }

  /** The label sales_targets.period uses: 2025-03, 2025-Q1, 2025. */
  public static String label(PeriodType type, LocalDate start) {
    return switch (type) {
      case MONTH -> String.format(java.util.Locale.ROOT, "%04d-%02d", start.getYear(), start.getMonthValue());
      case QUARTER -> start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1);
      case YEAR -> String.valueOf(start.getYear());
    };
  }
}

package org.crmanalytics.tools.generate;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.crmanalytics.jobs.base.UserError;

/**
 * What to generate. Validated before Spark starts; messages name the option the user typed.
 *
 * @param partitions generation partitions for every per-customer table, or null to size each
 *     table's partitions (and so its files) from the expected number of rows
 */
public record GeneratorSettings(
    long customers, int years, long seed, LocalDate endDate, Format format, String out,
    Integer partitions) {

  public enum Format {
    CSV("csv"), PARQUET("parquet");

    public final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    static Format parse(String value) {
      for (Format f : values()) {
        if (f.extension.equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new UserError("--format must be csv or parquet, not '" + value + "'");
    }
  }

  public static final long MAX_CUSTOMERS = 100_000_000L;

  public GeneratorSettings {
    if (customers < 1 || customers > MAX_CUSTOMERS) {
      throw new UserError("--customers must be between 1 and " + MAX_CUSTOMERS + ", not "
          + customers);
    }
    if (years < 1 || years > 20) {
      throw new UserError("--years must be between 1 and 20, not " + years);
    }
    if (out == null || out.isBlank()) {
      throw new UserError("--out must name the output folder");
    }
    if (partitions != null && partitions < 1) {
      throw new UserError("--partitions must be at least 1, not " + partitions);
    }
  }

  /** Settings from the command line's strings. */
  public static GeneratorSettings parse(long customers, int years, long seed, String endDate,
      String format, String out, Integer partitions) {
    LocalDate end;
    try {
      end = LocalDate.parse(endDate);
    } catch (DateTimeParseException e) {
      throw new UserError("--end-date must be a date like 2025-12-31, not '" + endDate + "'");
    }
    return new GeneratorSettings(customers, years, seed, end,
        Format.parse(format.toLowerCase(Locale.ROOT)), out, partitions);
  }
}

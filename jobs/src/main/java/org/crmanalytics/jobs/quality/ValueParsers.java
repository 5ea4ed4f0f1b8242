package org.crmanalytics.jobs.quality;

import static org.apache.spark.sql.functions.btrim;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampType;
import org.crmanalytics.jobs.config.PipelineConfig.Parsing;

/**
 * Turns raw source values into contract types. Strings are parsed with the table's configured
 * formats (German numbers, dd.MM.yyyy dates, ja/nein); typed sources (Parquet, JDBC) are cast.
 * A value that cannot be converted becomes null, and the gate reports it as a type error: raw
 * present, converted absent.
 */
public final class ValueParsers {
  private ValueParsers() {}

  /** Blank strings count as absent, as in every spreadsheet export. */
  public static Column present(Column raw, DataType sourceType) {
    if (sourceType instanceof StringType) {
      return raw.isNotNull().and(length(strip(raw)).gt(0));
    }
    return raw.isNotNull();
  }

  public static Column convert(Column raw, DataType sourceType, DataType target, Parsing parsing) {
    if (!(sourceType instanceof StringType)) {
      if (target instanceof StringType) {
        return blankToNull(raw.cast(DataTypes.StringType));
      }
      if (target instanceof IntegerType && (sourceType instanceof DecimalType
          || sourceType instanceof org.apache.spark.sql.types.DoubleType
          || sourceType instanceof org.apache.spark.sql.types.FloatType)) {
        return when(raw.equalTo(floor(raw)), raw.try_cast(target)); // 3.0 is 3, 3.5 is no integer
      }
      return raw.try_cast(target);
    }
    Column s = blankToNull(raw);
    if (target instanceof StringType) {
      return s;
    }
    if (target instanceof DecimalType || target instanceof IntegerType || target instanceof LongType) {
      Column number = normalizeNumber(s, parsing);
      if (target instanceof DecimalType) {
        return number.try_cast(target);
      }
      Column exact = number.try_cast(DataTypes.createDecimalType(38, 6));
      return when(exact.equalTo(floor(exact)), exact.try_cast(target));
    }
    if (target instanceof DateType) {
      return coalesce(parseAll(s, parsing.dates())).cast(DataTypes.DateType);
    }
    if (target instanceof TimestampType) {
      return coalesce(parseAll(s, parsing.timestamps()));
    }
    if (target instanceof BooleanType) {
      Column w = lower(s);
      return when(w.isin(parsing.trueWords().toArray()), lit(true))
          .when(w.isin(parsing.falseWords().toArray()), lit(false));
    }
    return s.try_cast(target);
  }

  /** What a type error says the value should have looked like. */
  public static String expected(DataType target, Parsing parsing) {
    if (target instanceof DecimalType || target instanceof IntegerType || target instanceof LongType) {
      String kind = target instanceof DecimalType ? "a number" : "a whole number";
      return kind + " (decimal separator '" + parsing.decimalSeparator() + "', grouping "
          + (parsing.groupingSeparator().isEmpty() ? "none" : "'" + parsing.groupingSeparator() + "'") + ")";
    }
    if (target instanceof DateType) {
      return "a date in format " + String.join(" or ", parsing.dates());
    }
    if (target instanceof TimestampType) {
      return "a timestamp in format " + String.join(" or ", parsing.timestamps());
    }
    if (target instanceof BooleanType) {
      return "a yes/no value (" + String.join("/", parsing.trueWords()) + " or "
          + String.join("/", parsing.falseWords()) + ")";
    }
    return "a " + target.simpleString();
  }

  private static Column blankToNull(Column s) {
    Column t = strip(s);
    return when(length(t).gt(0), t);
  }

  /** Whitespace as Java's regex \s sees it, plus the no-break space spreadsheets pad with. */
  private static final String BLANKS = " \t\n\u000B\f\r\u00A0";

  /**
   * Trims spaces, tabs, line breaks and no-break spaces. Every string value passes here, so it
   * works on Spark's own string bytes: a regex would copy each value into a Java string first.
   * (A guard of byte comparisons in front, to skip values without blanks, made the generated code
   * of CSV tables so large that CSV ingest took 60 % more CPU: measured, reverted.)
   */
  private static Column strip(Column s) {
    return btrim(s, lit(BLANKS));
  }

  /** "1.234,56" (decimal ',', grouping '.') and "1 234,56-" (trailing minus, SAP) become "-1234.56". */
  private static Column normalizeNumber(Column s, Parsing parsing) {
    Column n = regexp_replace(s, "[\\s\\u00A0]", "");
    // Only well-formed numbers: grouping strictly in threes before the decimal separator, so
    // that "12.5" under German settings is an error, not 125.
    String d = Pattern.quote(parsing.decimalSeparator());
    String plain = "^[+-]?([0-9]+(" + d + "[0-9]*)?|" + d + "[0-9]+)-?$";
    Column wellFormed = n.rlike(plain);
    if (!parsing.groupingSeparator().isEmpty()) {
      String g = Pattern.quote(parsing.groupingSeparator());
      wellFormed = wellFormed.or(n.rlike("^[+-]?[0-9]{1,3}(" + g + "[0-9]{3})+(" + d + "[0-9]*)?-?$"));
    }
    n = when(wellFormed, n);
    if (!parsing.groupingSeparator().isEmpty()) {
      n = regexp_replace(n, Pattern.quote(parsing.groupingSeparator()), "");
    }
    if (!parsing.decimalSeparator().equals(".")) {
      n = translate(n, parsing.decimalSeparator(), ".");
    }
    return when(n.endsWith("-"), concat(lit("-"), regexp_replace(n, "-$", ""))).otherwise(n);
  }

  private static Column[] parseAll(Column s, List<String> patterns) {
    return patterns.stream().map(p -> try_to_timestamp(s, lit(p))).toArray(Column[]::new);
  }
}

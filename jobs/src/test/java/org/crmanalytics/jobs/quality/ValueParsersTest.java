package org.crmanalytics.jobs.quality;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.config.PipelineConfig.Parsing;
import org.crmanalytics.models.contract.Contract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Raw values become contract types or null (which the gate reports as a type error); never a
 * wrong value. Each case converts a small column of strings in one Spark job and compares every
 * result, in input order, as Spark prints it ("null" for null).
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ValueParsersTest {
  private static final List<String> TRUE_WORDS = List.of("true", "1", "yes", "y", "ja", "j", "x");
  private static final List<String> FALSE_WORDS = List.of("false", "0", "no", "n", "nein");

  /** A German export: 1.234,56 and 31.12.2024. */
  private static final Parsing GERMAN = new Parsing(List.of("dd.MM.yyyy"), List.of("dd.MM.yyyy HH:mm:ss"),
      ",", ".", TRUE_WORDS, FALSE_WORDS);
  /** The defaults of the loader: 1234.5 and 2024-12-31. */
  private static final Parsing PLAIN = new Parsing(List.of("yyyy-MM-dd"),
      List.of("yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"),
      ".", "", TRUE_WORDS, FALSE_WORDS);

  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  /** Converts strings (null allowed) to {@code target}; results as strings, in input order. */
  private static List<String> convert(Parsing parsing, DataType target, String... values) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      rows.add(RowFactory.create(i, values[i]));
    }
    StructType schema = new StructType().add("i", DataTypes.IntegerType).add("v", DataTypes.StringType);
    Column converted = ValueParsers.convert(col("v"), DataTypes.StringType, target, parsing);
    return strings(spark.createDataFrame(rows, schema).orderBy("i").select(converted.cast("string")).collectAsList());
  }

  private static List<String> strings(List<Row> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.isNullAt(0) ? "null" : r.get(0).toString()));
    return out;
  }

  private static List<String> expect(String... values) {
    return Arrays.asList(values);
  }

  @Test
  void germanNumbersWithDecimalCommaAndGroupingDot() {
    assertEquals(expect("1234.5600", "-12.5000", "-1234.5600", "0.5000", "1234567.8900", "12.0000", "-3.0000"),
        convert(GERMAN, Contract.MONEY, "1.234,56", "-12,5", "1.234,56-", "0,5", "1.234.567,89", "12", "3-"),
        "decimal ',' and grouping '.', leading minus and the trailing minus of SAP exports");
  }

  @Test
  void spacesAndNonBreakingSpacesAsGroupingAreIgnored() {
    assertEquals(expect("1234.5600", "1234.5600", "1234567.0000", "12.5000"),
        convert(GERMAN, Contract.MONEY, "1 234,56", "1\u00A0234,56", " 1 234 567 ", "\u00A012,5\u00A0"),
        "space, NBSP and surrounding blanks");
  }

  @Test
  void plainNumbersWithTheDefaultSettings() {
    assertEquals(expect("1234.5000", "-0.2500", "42.0000", "1234.5600"),
        convert(PLAIN, Contract.MONEY, "1234.5", "-0.25", "42", "1234.56"), "decimal '.' without grouping");
  }

  @Test
  void numbersInAnotherFormatAreNull() {
    assertEquals(expect("null", "null", "null", "null", "null", "null"),
        convert(GERMAN, Contract.MONEY, "12,50 EUR", "abc", "1,2,3", "--5", "1,5e", "n/a"),
        "text that is no German number");
    assertEquals(expect("null", "null", "null"),
        convert(PLAIN, Contract.MONEY, "1.234,56", "12,5", "1,234.56"),
        "comma-formatted numbers where the config says decimal '.' and no grouping");
  }

  /**
   * The configured grouping separator may only separate groups of three digits. "12.5" in a file
   * declared German is a dot-decimal number (another export, another locale), not 125; reading it
   * as 125 would silently multiply the amount by ten.
   */
  @Test
  void aDotDecimalNumberUnderGermanSettingsIsNotReadAsAGroupedInteger() {
    assertEquals(expect("null", "null", "null"),
        convert(GERMAN, Contract.MONEY, "12.5", "1,234.56", "1.2.3,4"),
        "'12.5' must not become 125, '1,234.56' not 1.2346, '1.2.3,4' not 123.4");
  }

  @Test
  void integersMustBeWhole() {
    assertEquals(expect("3", "null", "1000", "-7", "3", "null", "null"),
        convert(GERMAN, DataTypes.IntegerType, "3", "3,5", "1.000", "7-", "3,0", "drei", "99999999999"),
        "German integers: 3,5 is no integer, 1.000 is a thousand, overflow is no integer");
    assertEquals(expect("3", "null", "null"),
        convert(PLAIN, DataTypes.IntegerType, "3", "3.5", "3,5"), "plain integers");
  }

  @Test
  void germanDatesAndImpossibleDates() {
    assertEquals(expect("2024-12-31", "2024-02-29", "null", "null", "null", "null", "null"),
        convert(GERMAN, DataTypes.DateType, "31.12.2024", "29.02.2024", "30.02.2024", "2024-12-31",
            "31.12.2024x", "Dienstag", "32.01.2024"),
        "dd.MM.yyyy only; impossible or trailing text is no date");
    assertEquals(expect("2024-12-31", "null", "null", "null"),
        convert(PLAIN, DataTypes.DateType, "2024-12-31", "2024-02-30", "garbage", "2024-13-01"),
        "ISO dates; 2024-02-30 does not exist");
  }

  @Test
  void severalDatePatternsAreTriedInOrder() {
    Parsing both = new Parsing(List.of("dd.MM.yyyy", "MM/dd/yyyy", "yyyy-MM-dd"), PLAIN.timestamps(), ",", ".",
        TRUE_WORDS, FALSE_WORDS);
    assertEquals(expect("2024-02-01", "2024-02-01", "2024-02-01", "2024-12-31", "null"),
        convert(both, DataTypes.DateType, "01.02.2024", "02/01/2024", "2024-02-01", "12/31/2024", "31/12/2024"),
        "each value by the first pattern that fits it");
    Parsing usFirst = new Parsing(List.of("MM.dd.yyyy", "dd.MM.yyyy"), PLAIN.timestamps(), ",", ".",
        TRUE_WORDS, FALSE_WORDS);
    assertEquals(expect("2024-01-02", "2024-12-31"),
        convert(usFirst, DataTypes.DateType, "01.02.2024", "31.12.2024"),
        "an ambiguous value is read by the first pattern; the second takes what the first cannot");
  }

  @Test
  void timestamps() {
    assertEquals(expect("2024-12-31 23:59:59", "2024-06-01 08:00:00", "2024-06-01 00:00:00", "2024-06-01 08:30:00",
            "null", "null"),
        convert(PLAIN, DataTypes.TimestampType, "2024-12-31 23:59:59", "2024-06-01T08:00:00", "2024-06-01",
            "2024-06-01 08:30", "2024-06-01 25:00:00", "yesterday"),
        "the default timestamp patterns, in order");
    assertEquals(expect("2024-12-31 23:59:59", "null"),
        convert(GERMAN, DataTypes.TimestampType, "31.12.2024 23:59:59", "2024-12-31 23:59:59"),
        "German timestamps only");
  }

  @Test
  void booleansFromGermanAndSpreadsheetWords() {
    assertEquals(expect("true", "false", "true", "true", "false", "true", "false", "true", "null", "null"),
        convert(PLAIN, DataTypes.BooleanType, "ja", "nein", "x", "1", "0", "JA", " Nein ", "j", "vielleicht", "2"),
        "ja/nein/x/1/0, any case, surrounding blanks ignored; other words are no boolean");
  }

  @Test
  void blankStringsAreAbsentNotEmpty() {
    String[] blanks = {"", "   ", null};
    for (DataType t : List.of(DataTypes.StringType, Contract.MONEY, DataTypes.DateType, DataTypes.BooleanType)) {
      assertEquals(expect("null", "null", "null"), convert(GERMAN, t, blanks), "blank as " + t);
    }
    List<Row> rows = new ArrayList<>();
    for (String b : new String[] {"", "   ", null, "x", " a "}) {
      rows.add(RowFactory.create(b));
    }
    StructType schema = new StructType().add("v", DataTypes.StringType);
    List<Row> present = spark.createDataFrame(rows, schema)
        .select(ValueParsers.present(col("v"), DataTypes.StringType)).collectAsList();
    assertEquals("[[false], [false], [false], [true], [true]]", present.toString(), "present() of blank strings");
    assertEquals(expect("a", "Müller KG"), convert(GERMAN, DataTypes.StringType, " a ", " Müller KG "),
        "text is trimmed, not otherwise changed");
  }

  /**
   * Spreadsheet exports fill "empty" cells with a tab or a non-breaking space as often as with
   * blanks. Such a cell is absent too: a customer_id of "\t" must be reported missing, not
   * accepted as a customer.
   */
  @Test
  void tabsAndNonBreakingSpacesAloneAreBlankToo() {
    String[] blanks = {"\t", "\u00A0", " \t\u00A0 "};
    assertEquals(expect("null", "null", "null"), convert(GERMAN, DataTypes.StringType, blanks),
        "tab / NBSP only, as text");
    List<Row> rows = new ArrayList<>();
    for (String b : blanks) {
      rows.add(RowFactory.create(b));
    }
    StructType schema = new StructType().add("v", DataTypes.StringType);
    List<Row> present = spark.createDataFrame(rows, schema)
        .select(ValueParsers.present(col("v"), DataTypes.StringType)).collectAsList();
    assertEquals("[[false], [false], [false]]", present.toString(), "present() of tab / NBSP only");
  }

  @Test
  void typedSourcesAreCast() {
    StructType schema = new StructType()
        .add("i", DataTypes.IntegerType)
        .add("d", DataTypes.DoubleType)
        .add("l", DataTypes.LongType)
        .add("dec", DataTypes.createDecimalType(10, 2))
        .add("ts", DataTypes.TimestampType)
        .add("dt", DataTypes.DateType)
        .add("b", DataTypes.BooleanType);
    List<Row> rows = List.of(
        RowFactory.create(42, 3.0, 5L, new java.math.BigDecimal("12.50"),
            java.sql.Timestamp.valueOf("2024-12-31 23:59:59"), java.sql.Date.valueOf("2024-06-01"), true),
        RowFactory.create(null, 3.5, 9_999_999_999L, new java.math.BigDecimal("7.00"), null, null, false));
    org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows, schema);
    List<Row> out = df.select(
        ValueParsers.convert(col("i"), DataTypes.IntegerType, DataTypes.StringType, GERMAN).as("i_string"),
        ValueParsers.convert(col("d"), DataTypes.DoubleType, DataTypes.IntegerType, GERMAN).as("d_int"),
        ValueParsers.convert(col("l"), DataTypes.LongType, DataTypes.IntegerType, GERMAN).as("l_int"),
        ValueParsers.convert(col("d"), DataTypes.DoubleType, Contract.MONEY, GERMAN).as("d_money"),
        ValueParsers.convert(col("dec"), DataTypes.createDecimalType(10, 2), DataTypes.IntegerType, GERMAN).as("dec_int"),
        ValueParsers.convert(col("ts"), DataTypes.TimestampType, DataTypes.DateType, GERMAN).as("ts_date"),
        ValueParsers.convert(col("dt"), DataTypes.DateType, DataTypes.TimestampType, GERMAN).as("dt_ts"),
        ValueParsers.convert(col("b"), DataTypes.BooleanType, DataTypes.BooleanType, GERMAN).as("b"),
        ValueParsers.present(col("i"), DataTypes.IntegerType).as("i_present"))
        .collectAsList();
    assertEquals("[42,3,5,3.0000,null,2024-12-31,2024-06-01 00:00:00.0,true,true]", out.get(0).toString(),
        "casts of a typed row: int to text, 3.0 to 3, money, date of a timestamp, timestamp of a date");
    assertEquals("[null,null,null,3.5000,7,null,null,false,false]", out.get(1).toString(),
        "3.5 is no integer, 9,999,999,999 overflows an int, 7.00 is 7, null stays absent");
  }
}

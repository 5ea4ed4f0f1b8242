package org.crmanalytics.jobs.quality;

/**
 * The shape of the rows the quality gate judges, whatever read them: one row per source row with,
 * for every contract column, its value as read in {@code _raw_<column>}; the whole source row as a
 * struct; the file it came from and its position in that read (which keeps the first of duplicates).
 */
public final class GateInput {
  public static final String RAW_PREFIX = "_raw_";
  public static final String SOURCE_ROW = "_source_row";
  public static final String FILE = "_source_file";
  public static final String POSITION = "_source_position";

  private GateInput() {}

  /** The column that holds a contract column's value as read. */
  public static String raw(String contractColumn) {
    return RAW_PREFIX + contractColumn;
  }
}

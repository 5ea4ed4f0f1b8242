package org.crmanalytics.jobs.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.jobs.quality.GateInput;

/**
 * A source as read, before mapping: the source's own columns plus {@link #FILE} (where the row
 * came from), {@link #POSITION} (a stable ordinal within that read, used to keep the first of
 * duplicate rows), {@link #MALFORMED} (the parser could not split the record) and, for text
 * formats, {@link #RAW_LINE} (the whole record where it is malformed, else null).
 */
public record SourceFrame(Dataset<Row> rows, java.util.List<String> sourceColumns, String description) {
  public static final String FILE = GateInput.FILE;
  public static final String POSITION = GateInput.POSITION;
  public static final String MALFORMED = "_malformed";
  public static final String RAW_LINE = "_corrupt_record";
}

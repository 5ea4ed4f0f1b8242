package org.crmanalytics.jobs.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Date;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The CSV cell rules, value by value. */
@Tag("unit")
class FileExportTest {
  @Test
  void textASpreadsheetWouldRunAsAFormulaStaysText() {
    assertEquals("'=1+2", FileExport.field("=1+2", false));
    assertEquals("\"'=HYPERLINK(\"\"http://x.example\"\";\"\"click\"\")\"",
        FileExport.field("=HYPERLINK(\"http://x.example\";\"click\")", false), "guarded, then quoted");
    for (String s : new String[] {"+49 30 1234", "-1", "@SUM(A1)", "\tx", "\rx"}) {
      assertEquals("'", FileExport.field(s, false).replace("\"", "").substring(0, 1), s);
    }
    assertEquals("Aufträge in 90 Tagen: 1 (üblich: 6)", FileExport.field("Aufträge in 90 Tagen: 1 (üblich: 6)", false));
    assertEquals("K-17", FileExport.field("K-17", false), "only the first character counts");
  }

  @Test
  void numbersAreNeverGuardedAndUseThePlainNotation() {
    assertEquals("-0,00001", FileExport.field(-1.0e-5, true));
    assertEquals("-0.00001", FileExport.field(-1.0e-5, false));
    assertEquals("-3", FileExport.field(-3, true));
    assertEquals("2025-12-31", FileExport.field(Date.valueOf("2025-12-31"), true));
    assertEquals("", FileExport.field(null, true));
    assertEquals("\"a;b\"", FileExport.field("a;b", true));
  }
}

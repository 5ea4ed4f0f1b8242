package org.crmanalytics.jobs.scorecard;

import org.crmanalytics.jobs.io.Output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.cli.CrmAnalytics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code crm-analytics scorecard}: renders from outputs that are already there, in its own session. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ScorecardCommandTest {
  @TempDir static Path dir;
  @TempDir static Path root;

  @BeforeAll
  static void writeOutputs(SparkSession spark) throws Exception {
    ScorecardFixture.write(spark, root);
    SharedSpark.release(); // the command starts and stops a session of its own
  }

  private record Result(int code, String out, String err) {}

  private static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = CrmAnalytics.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void rendersTheGermanPageFromExistingOutputs() throws Exception {
    Path config = ScorecardFixture.configFile(dir, "scorecard: {locale: en}\n");
    Result r = cli("scorecard", "--config", config.toString(), "--out", root.toString(), "--locale", "DE",
        "--master", "local[1]");
    assertEquals(0, r.code(), r.out() + r.err());
    Path page = root.resolve(Output.SCORECARD.at("de", ScorecardFixture.AS_OF));
    assertTrue(r.out().contains("scorecard " + root + "/reports/scorecard-2025-03-15-de.html"), r.out());
    String html = Files.readString(page);
    assertTrue(html.contains("<html lang=\"de\">"), "--locale beats scorecard.locale");
    assertTrue(html.contains("Zeilen des Laufs " + ScorecardFixture.INGEST_RUN), "row accounting of the ingest run");
    assertTrue(html.contains("class=\"chart\" id=\"" + ScorecardPage.CHART_MIGRATION + "\""));
  }

  @Test
  void eachLanguageHasItsOwnPage() throws Exception {
    Path config = ScorecardFixture.configFile(dir, "");
    for (String locale : List.of("en", "de")) {
      Result r = cli("scorecard", "--config", config.toString(), "--out", root.toString(), "--locale", locale,
          "--master", "local[1]");
      assertEquals(0, r.code(), r.out() + r.err());
    }
    assertTrue(Files.readString(root.resolve(Output.SCORECARD.at("en", ScorecardFixture.AS_OF)))
        .contains("<html lang=\"en\">"), "the German run left the English page alone");
    assertTrue(Files.readString(root.resolve(Output.SCORECARD.at("de", ScorecardFixture.AS_OF)))
        .contains("<html lang=\"de\">"));
  }

  @Test
  void anUnknownLocaleIsAUserErrorBeforeSparkStarts() {
    Result r = cli("scorecard", "--locale", "fr", "--out", root.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--locale: must be one of en, de; found 'fr'"), r.err());
  }
}

package org.crmanalytics.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crm-analytics generate} as a user runs it (bin/bench-company.sh, the corpus README): a tiny company. */
@Tag("spark")
class GenerateCommandTest {
  @Test
  void generateWritesEveryTableAndTheGroundTruth(@TempDir Path dir) throws IOException {
    SharedSpark.release(); // the command starts and stops a session of its own, as on the command line
    Path out = dir.resolve("company");
    ToolsCliTest.Result r = ToolsCliTest.cli("generate", "--customers", "40", "--years", "1", "--seed", "11",
        "--format", "csv", "--out", out.toString(), "--master", "local[2]");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("Generated into " + out), r.out());
    for (String table : List.of("customers", "products", "sales", "invoices", "payments", "ground_truth/customer_truth")) {
      try (Stream<Path> files = Files.list(out.resolve(table))) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".csv")), table + " has no CSV file");
      }
    }
    List<String> customers = Files.readAllLines(out.resolve("customers/customers-00000.csv"));
    assertEquals(41, customers.size(), "header and 40 customers");
  }
}

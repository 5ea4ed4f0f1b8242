package org.crmanalytics.jobs.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.crmanalytics.jobs.cli.CrmAnalytics;
import org.crmanalytics.jobs.config.ConfigLoader;
import org.crmanalytics.jobs.realdata.RealData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Airflow DAGs cannot drift from the runner: runs the DAG tests of airflow-dags/tests (Python,
 * standard library only, no Airflow) against the plan that {@code plan --json} prints here, so the
 * README's single test command covers them. Python 3 is required on CI; elsewhere its absence skips.
 */
@Tag("unit")
class AirflowDagsTest {

  @Test
  void theDagsRunWhatThePlanSays(@TempDir Path dir) throws Exception {
    Path root = RealData.projectRoot();
    Path python = python3();
    Path plan = dir.resolve("plan.json");
    Files.writeString(plan, planJson(root.resolve(ConfigLoader.BUNDLED_SAMPLE)));

    ProcessBuilder pb = new ProcessBuilder(python.toString(), "-m", "unittest", "discover", "-v",
        "-s", root.resolve("airflow-dags/tests").toString())
        .directory(root.toFile()).redirectErrorStream(true);
    pb.environment().put("CRM_PLAN_JSON", plan.toString());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("the DAG tests did not finish in 2 minutes:\n" + output);
    }
    assertEquals(0, p.exitValue(), "airflow-dags/tests failed against plan --json (" + plan + "):\n" + output);
  }

  /** What {@code plan --json --config <sample>} prints, run in this JVM (no Spark). */
  private static String planJson(Path config) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertEquals(0, CrmAnalytics.execute("plan", "--json", "--config", config.toString()), out::toString);
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Path python3() throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "python3");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String message = "python3 is not on the PATH: the Airflow DAG tests (airflow-dags/tests) need it "
        + "(Debian: apt-get install python3)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message);
    }
    Assumptions.abort(message + "; skipped outside CI");
    throw new IllegalStateException("unreachable");
  }
}

package org.crmanalytics.jobs.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.crmanalytics.jobs.realdata.RealData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** notebooks/run-notebooks.sh, which the test command runs in verify: without Jupyter it says so. */
@Tag("unit")
class NotebookRunnerTest {
  private record Result(int code, String err) {}

  private static Result run(String ci) throws IOException, InterruptedException {
    Path script = RealData.projectRoot().resolve("notebooks/run-notebooks.sh");
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = pb.environment();
    env.put("JUPYTER", "/nonexistent/jupyter");
    env.put("CI", ci);
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), err);
  }

  @Test
  void withoutJupyterTheNotebooksAreSkippedSayingSoAndCiFails() throws Exception {
    String install = "apt-get install jupyter-nbconvert jupyter-notebook python3-ipykernel jupyter-client\n";
    Result local = run("");
    assertEquals(0, local.code(), local.err());
    assertEquals("[notebooks] skipped: Jupyter not installed (/nonexistent/jupyter nbconvert); to run the notebooks: "
        + install, local.err());
    Result ci = run("true");
    assertEquals(1, ci.code(), ci.err());
    assertTrue(ci.err().startsWith("[notebooks] FAILED: Jupyter not installed"), ci.err());
    assertTrue(ci.err().endsWith(install), ci.err());
  }
}

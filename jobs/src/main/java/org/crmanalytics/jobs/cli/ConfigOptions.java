package org.crmanalytics.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.ConfigLoader;
import org.crmanalytics.jobs.config.PipelineConfig;
import picocli.CommandLine.Option;

/** --config, --out and --as-of, shared by the commands that run the pipeline. */
public final class ConfigOptions {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Pipeline configuration (YAML). Default: the bundled sample, "
          + ConfigLoader.BUNDLED_SAMPLE + ".")
  Path config;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR",
      description = "Output root. Default: 'output' from the config, else ./out.")
  String out;

  @Option(names = "--as-of", paramLabel = "DATE",
      description = "The date the run sees the world as of (yyyy-MM-dd). Default: 'as_of' from the config, else today.")
  String asOf;

  /** Loads and validates the configuration: no Spark yet. */
  public PipelineConfig load() {
    Path file = config != null ? config : bundledSample();
    PipelineConfig c = Pipeline.configLoader(System.getenv()).load(file);
    if (out != null) {
      c = c.withOutput(ConfigLoader.resolvePath(Path.of("").toAbsolutePath(), out));
    }
    if (asOf != null) {
      try {
        c = c.withAsOf(LocalDate.parse(asOf));
      } catch (DateTimeParseException e) {
        throw new UserError("--as-of: expected a date like 2025-12-31, found '" + asOf + "'");
      }
    } else if (c.asOf() == null) {
      c = c.withAsOf(LocalDate.now(java.time.ZoneOffset.UTC));
    }
    return c;
  }

  /** The sample next to the launcher (CRM_ANALYTICS_HOME) or in the working directory. */
  static Path bundledSample() {
    String home = System.getenv("CRM_ANALYTICS_HOME");
    Path candidate = home != null ? Path.of(home, ConfigLoader.BUNDLED_SAMPLE) : Path.of(ConfigLoader.BUNDLED_SAMPLE);
    if (!Files.isRegularFile(candidate)) {
      throw new UserError("no --config given and the bundled sample " + candidate + " is not here; "
          + "pass --config <file> (see docs/configuration.md)");
    }
    return candidate;
  }
}

package org.crmanalytics.tools.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The generated company a grading command reads against its ground truth: its folder and format. */
public final class GeneratedCompanyOptions {
  @Option(names = "--company", required = true, description = "The generated company's folder (holds ground_truth/).")
  Path company;

  @Option(names = "--format", defaultValue = "parquet", description = "csv or parquet, as generated (default: ${DEFAULT-VALUE}).")
  String format;
}

package org.crmanalytics.tools.cli;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.cli.CommandExtension;
import org.crmanalytics.jobs.cli.CommonOptions;
import org.crmanalytics.jobs.spark.SparkSessions;
import org.crmanalytics.tools.generate.CompanyGenerator;
import org.crmanalytics.tools.generate.GeneratorSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crm-analytics generate}: a realistic German B2B company's CRM/ERP data, with truth. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generates the data of a simulated German technical wholesaler (Mittelstand): customers, "
          + "products, sales, invoices, payments, activities, offers, tickets, campaigns, "
          + "campaign members and sales targets in the canonical contract, plus "
          + "ground_truth/ (churn, default, latent factors) for evaluating models.",
      "The output depends only on the arguments: same arguments, same files."
    })
public final class GenerateCommand implements Callable<Integer>, CommandExtension {
  @Mixin CommonOptions common;

  @Option(names = "--customers", defaultValue = "2000",
      description = "Number of customers (default: ${DEFAULT-VALUE}).")
  long customers;

  @Option(names = "--years", defaultValue = "3",
      description = "Years of history up to the end date (default: ${DEFAULT-VALUE}).")
  int years;

  @Option(names = "--seed", defaultValue = "42",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, description = "Output folder, one folder per table.")
  String out;

  @Option(names = "--format", defaultValue = "csv",
      description = "csv or parquet (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--end-date", defaultValue = "2025-12-31",
      description = "Last day of the history; no event lies after it (default: ${DEFAULT-VALUE}).")
  String endDate;

  @Option(names = "--partitions",
      description = "Generation partitions per table (default: sized from the number of rows). "
          + "The content does not depend on it, only how it is split into files.")
  Integer partitions;

  @Override
  public Integer call() throws java.io.IOException {
    GeneratorSettings settings =
        GeneratorSettings.parse(customers, years, seed, endDate, format, out, partitions);
    try (Console console = common.console();
        SparkSession spark = SparkSessions.create("crm-analytics generate", common.master())) {
      CompanyGenerator.Result result = CompanyGenerator.generate(spark, settings, console);
      console.result("");
      console.result("Generated into " + settings.out() + " in "
          + Console.format(result.elapsed()) + ":");
      for (Map.Entry<String, Long> e : result.rowsPerTable().entrySet()) {
        console.result(String.format(Locale.ROOT, "  %-34s %,14d rows", e.getKey(), e.getValue()));
      }
      console.result("ground_truth/ is for evaluation only; it is not part of the input data.");
    }
    return 0;
  }
}

package org.crmanalytics.tools.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.cli.CommandExtension;
import org.crmanalytics.jobs.cli.CommonOptions;
import org.crmanalytics.jobs.spark.SparkSessions;
import org.crmanalytics.tools.bench.OracleGrade;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crm-analytics grade-oracle}: a payment-default model of a generated company against the truth. */
@Command(name = "grade-oracle", mixinStandardHelpOptions = true,
    description = "Grades a trained payment_risk model of a generated company on its test snapshot against the "
        + "naive rules and the generator's oracle (ground_truth annual_default_hazard): ROC AUC, PR AUC, lift@10%% "
        + "and Brier, as a Markdown table.")
public final class GradeOracleCommand implements Callable<Integer>, CommandExtension {
  @Mixin CommonOptions common;

  @Option(names = "--model", required = true, description = "The model version's folder: <out>/models/payment_risk/<version>.")
  Path model;

  @Mixin GeneratedCompanyOptions generated;

  @Override
  public Integer call() throws java.io.IOException {
    if (!Files.isRegularFile(model.resolve("metadata.json"))) {
      throw new UserError(model + " is not a model version folder (no metadata.json); pass "
          + "<out>/models/payment_risk/<version>");
    }
    try (Console console = common.console();
        SparkSession spark = SparkSessions.create("crm-analytics grade-oracle", common.master())) {
      console.result(OracleGrade.table(OracleGrade.grade(spark, model, generated.company, generated.format)));
    }
    return 0;
  }
}

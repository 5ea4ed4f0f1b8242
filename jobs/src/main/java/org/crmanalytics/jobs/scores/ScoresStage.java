package org.crmanalytics.jobs.scores;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;
import org.crmanalytics.jobs.abc.AbcStage;
import org.crmanalytics.jobs.churn.ChurnStage;
import org.crmanalytics.jobs.clv.ClvStage;
import org.crmanalytics.jobs.cli.Console;
import org.crmanalytics.jobs.cli.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.features.FeaturesStage;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.abc.AbcOutput;
import org.crmanalytics.models.btyd.ClvOutput;
import org.crmanalytics.models.features.CustomerSnapshot;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * customer_scores: one row per customer of the snapshot with the A–E class, the CLV, the churn risk
 * and value at risk, and the reasons; plus the early-warning list (high and medium risk, ranked by
 * value at risk within each sales rep). A score whose stage wrote nothing for this as_of is null.
 */
public final class ScoresStage implements PipelineStage {
  public static final String NAME = "scores";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> needs() {
    return List.of(AbcStage.NAME, ClvStage.NAME, ChurnStage.NAME);
  }

  public static String earlyWarningFolder(LocalDate asOf) {
    return "scores/early_warning/as_of=" + asOf;
  }

  @Override
  public List<String> produces(PipelineConfig config) {
    return List.of(CustomerScores.folder(config.asOf()), earlyWarningFolder(config.asOf()));
  }

  /** Only the snapshot is indispensable: each score whose output is absent stays null. */
  @Override
  public Optional<String> missingInputs(RunContext ctx) {
    return ctx.missingOutputs(FeaturesStage.snapshotPath(ctx.layout()));
  }

  @Override
  public void run(RunContext ctx) {
    LocalDate asOf = ctx.config().asOf();
    Console.Stage st = ctx.console().stage(NAME, ctx.spark());
    ctx.spark().sparkContext().setJobGroup(NAME, "customer scores as of " + asOf, false);
    String root = ctx.layout().root() + "/";
    String snapshotPath = FeaturesStage.snapshotPath(ctx.layout());
    if (!ctx.output().exists(snapshotPath)) {
      throw new UserError("scores needs the customer snapshot at " + snapshotPath + "; run the features stage for "
          + "as_of " + asOf + " first");
    }
    Dataset<Row> snapshot = ctx.spark().read().parquet(snapshotPath);
    Map<String, Optional<Dataset<Row>>> inputs = new LinkedHashMap<>();
    inputs.put("abc", read(ctx, root + AbcStage.customersFolder(asOf)));
    inputs.put("clv", read(ctx, root + ClvStage.customersFolder(asOf)));
    inputs.put("churn", read(ctx, root + ChurnStage.folder(asOf)));
    List<String> absent = new ArrayList<>();
    inputs.forEach((k, v) -> {
      if (v.isEmpty()) {
        absent.add(k);
      }
    });
    Dataset<Row> scores = transform(snapshot, inputs.get("abc"), inputs.get("clv"), inputs.get("churn"), asOf,
        ctx.runId());

    String path = root + CustomerScores.folder(asOf);
    String staged = ctx.layout().staged(path);
    ctx.output().stage(scores, staged);
    Dataset<Row> written = ctx.spark().read().parquet(staged);
    String warningPath = root + earlyWarningFolder(asOf);
    String stagedWarning = ctx.layout().staged(warningPath);
    ctx.output().stage(earlyWarning(written), stagedWarning);
    long customers = snapshot.count();
    long rows = written.count();
    if (rows != customers) {
      throw new IllegalStateException("customer_scores has " + rows + " rows for " + customers + " customers");
    }
    ctx.output().commit(staged, path);
    ctx.committed(path);
    ctx.output().commit(stagedWarning, warningPath);
    ctx.committed(warningPath);
    st.done(customers, rows, absent.isEmpty() ? "" : "no " + String.join(", ", absent) + " output for " + asOf
        + " (those columns are null)");
  }

  private static Optional<Dataset<Row>> read(RunContext ctx, String path) {
    return ctx.output().exists(path) ? Optional.of(ctx.spark().read().parquet(path)) : Optional.empty();
  }

  /** One row per snapshot customer in the column order of {@link CustomerScores#SCHEMA}. */
  public static Dataset<Row> transform(Dataset<Row> snapshot, Optional<Dataset<Row>> abc,
      Optional<Dataset<Row>> clv, Optional<Dataset<Row>> churn, LocalDate asOf, String runId) {
    String id = CustomerScores.CUSTOMER_ID;
    Dataset<Row> rows = snapshot.select(col(CustomerSnapshot.CUSTOMER_ID).as(id),
        col(CustomerSnapshot.SALES_REP_ID).as(CustomerScores.SALES_REP_ID));
    rows = join(rows, abc.map(a -> a.select(col(AbcOutput.Customers.CUSTOMER_ID).as(id),
        col(AbcOutput.Customers.CLASS).as(CustomerScores.ABC_CLASS),
        col(AbcOutput.Customers.SCORE).as(CustomerScores.ABC_SCORE),
        col(AbcOutput.Customers.PREVIOUS_CLASS).as(CustomerScores.PREVIOUS_ABC_CLASS),
        col(AbcOutput.Customers.DIRECTION).as(CustomerScores.ABC_TREND),
        col(AbcOutput.Customers.REASON_EN).as(CustomerScores.ABC_REASON_EN),
        col(AbcOutput.Customers.REASON_DE).as(CustomerScores.ABC_REASON_DE))));
    rows = join(rows, clv.map(c -> c.select(col(id), col(CustomerScores.CLV), col(CustomerScores.CLV_HORIZON_MONTHS),
        col(CustomerScores.P_ALIVE), col(CustomerScores.EXPECTED_ORDERS), col(CustomerScores.EXPECTED_ORDER_VALUE),
        col(ClvOutput.MODEL_VERSION).as(CustomerScores.CLV_MODEL_VERSION))));
    rows = join(rows, churn.map(c -> c.select(col(id), col(CustomerScores.CHURN_PROBABILITY),
        col(CustomerScores.CHURN_BAND), col(CustomerScores.CHURN_REASONS_EN), col(CustomerScores.CHURN_REASONS_DE),
        col(CustomerScores.CHURN_REASONS), col(CustomerScores.CHURN_MODEL_VERSION))));
    Column atRisk = col(CustomerScores.CHURN_PROBABILITY).cast("double").multiply(col(CustomerScores.CLV).cast("double"));
    rows = rows.withColumn(CustomerScores.VALUE_AT_RISK, atRisk)
        .withColumn(CustomerScores.AS_OF, lit(asOf))
        .withColumn(CustomerScores.RUN_ID, lit(runId));
    // Ranked within each rep's customers that have a value at risk; the others get no rank.
    rows = rows.withColumn(CustomerScores.RISK_RANK_IN_REP, when(atRisk.isNotNull(),
        rank().over(Window.partitionBy(col(CustomerScores.SALES_REP_ID), atRisk.isNull())
            .orderBy(col(CustomerScores.VALUE_AT_RISK).desc(), col(id)))));
    List<Column> ordered = new ArrayList<>();
    for (StructField f : CustomerScores.SCHEMA.fields()) {
      ordered.add((List.of(rows.columns()).contains(f.name()) ? col(f.name()) : lit(null))
          .cast(f.dataType()).as(f.name()));
    }
    return rows.select(ordered.toArray(Column[]::new));
  }

  private static Dataset<Row> join(Dataset<Row> rows, Optional<Dataset<Row>> right) {
    return right.map(r -> rows.join(r, new String[] {CustomerScores.CUSTOMER_ID}, "left")).orElse(rows);
  }

  /** The customers a rep should call first: high and medium risk, by value at risk. */
  public static Dataset<Row> earlyWarning(Dataset<Row> scores) {
    return scores.filter(col(CustomerScores.CHURN_BAND).isin("high", "medium"))
        .select(col(CustomerScores.SALES_REP_ID), col(CustomerScores.RISK_RANK_IN_REP), col(CustomerScores.CUSTOMER_ID),
            col(CustomerScores.CHURN_BAND), col(CustomerScores.CHURN_PROBABILITY), col(CustomerScores.CLV),
            col(CustomerScores.VALUE_AT_RISK), col(CustomerScores.ABC_CLASS), col(CustomerScores.CHURN_REASONS_EN),
            col(CustomerScores.CHURN_REASONS_DE))
        .orderBy(col(CustomerScores.SALES_REP_ID), col(CustomerScores.RISK_RANK_IN_REP));
  }
}

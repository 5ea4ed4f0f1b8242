package org.crmanalytics.jobs.churn;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.ml.PipelineModel;
import org.crmanalytics.jobs.cli.UserError;
import org.crmanalytics.jobs.clv.ClvConfig;
import org.crmanalytics.jobs.clv.ClvStage;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.features.FeaturesStage;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.btyd.ClvSettings;
import org.crmanalytics.models.btyd.CustomerLifetimeValue;
import org.crmanalytics.models.churn.ChurnTrainingSet.PointInTimeFeatures;
import org.crmanalytics.models.scores.CustomerScores;

/** What training and scoring read: the snapshot's silver tables and the BTYD outputs at a date. */
final class ChurnInputs {
  static final String CLV_STAGE = ClvStage.NAME;
  static final String P_ALIVE = CustomerScores.P_ALIVE;
  static final String BTYD_EXPECTED_ORDERS = "btyd_expected_orders";
  static final List<String> BTYD_FEATURES = List.of(P_ALIVE, BTYD_EXPECTED_ORDERS);

  private ChurnInputs() {}

  static Map<String, Dataset<Row>> silver(RunContext ctx, String stage) {
    List<String> absent = new ArrayList<>();
    Map<String, Dataset<Row>> silver = FeaturesStage.snapshotInputs(ctx, stage, absent);
    if (!absent.isEmpty()) {
      ctx.console().detail(stage + ": no data for " + String.join(", ", absent) + " (features null)");
    }
    return silver;
  }

  /** customer_id, p_alive and btyd_expected_orders from the clv stage's output of this as_of. */
  static Dataset<Row> btydAt(RunContext ctx) {
    String path = ctx.layout().root() + "/" + ClvStage.customersFolder(ctx.config().asOf());
    if (!ctx.output().exists(path)) {
      throw new UserError("churn needs the clv output at " + path + "; run the clv stage for as_of "
          + ctx.config().asOf() + " first (bin/crm-analytics run --stages clv,churn)");
    }
    return btydColumns(ctx.spark().read().parquet(path));
  }

  static Dataset<Row> btydColumns(Dataset<Row> clv) {
    return clv.select(col(CustomerScores.CUSTOMER_ID), col(CustomerScores.P_ALIVE).as(P_ALIVE),
        col(CustomerScores.EXPECTED_ORDERS).as(BTYD_EXPECTED_ORDERS));
  }

  /**
   * The BTYD columns as of any date D: the clv stage's models fitted on the sales up to D (its
   * summary sees nothing later), with the clv section's settings. Used for training snapshots.
   */
  static PointInTimeFeatures btydFeatures(RunContext ctx, Dataset<Row> sales) {
    ConfigNode section = ctx.config().section(ClvStage.NAME);
    return date -> {
      ClvSettings settings = ClvConfig.parse(section, date);
      Dataset<Row> summary = CustomerLifetimeValue.summary(sales, settings);
      PipelineModel fitted = CustomerLifetimeValue.fit(summary, settings);
      return btydColumns(fitted.transform(summary));
    };
  }
}

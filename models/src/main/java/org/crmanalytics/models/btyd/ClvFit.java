package org.crmanalytics.models.btyd;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * What the CLV fit could honestly deliver ({@link CustomerLifetimeValue#fitWithFallback}): the
 * purchase model that passed {@link FitDiagnostics} (or, when none did, one that failed only for
 * showing no dropout, without its P(alive); null otherwise), Gamma-Gamma when it
 * passed (null: empirical order values), and every finding on the way, each a flag for the run
 * manifest.
 *
 * @param purchases the purchase model used, or null: no P(alive), expected orders or CLV
 * @param spend Gamma-Gamma, or null: {@link #EMPIRICAL} order values (null too without repeat buyers)
 * @param purchaseModel "bgnbd", "paretonbd" or null: the clv output's {@code clv_model}
 * @param basis the clv output's {@code clv_basis}: which models gave the values, and why
 * @param meanRepeatOrderValue mean value of all repeat transactions (NaN without any)
 * @param pAliveWithheld the purchase model sees almost no dropout ({@code clv_no_dropout}): it gives
 *     expected orders and CLV, and P(alive) is null because it would rank no customer
 */
public record ClvFit(PurchaseModel<?> purchases, GammaGammaModel spend, String purchaseModel, String basis,
    List<Finding> findings, double meanRepeatOrderValue, boolean pAliveWithheld) {
  /** A degenerate fit or a fallback, for the manifest's flags: code and plain words. */
  public record Finding(String code, String message) {}

  /** Pseudo-orders at the population mean that an empirical order value is shrunk with. */
  public static final double EMPIRICAL_PRIOR_ORDERS = 1;
  public static final String EMPIRICAL = "empirical order value";

  public ClvFit {
    findings = List.copyOf(findings);
  }

  /** The fitted models that were used, as one PipelineModel (spend first), to save and fingerprint. */
  public PipelineModel pipeline(Dataset<Row> summary) {
    List<PipelineStage> stages = new ArrayList<>();
    if (spend != null) {
      stages.add(spend);
    }
    if (purchases != null) {
      stages.add(purchases);
    }
    // Only fitted Transformers: Pipeline.fit passes them through without touching the data.
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(summary);
  }

  /**
   * The summary with expected_order_value, p_alive, expected_orders and clv: from the models used;
   * the empirical order value (x z̄ + k m) / (x + k) when Gamma-Gamma is not; nulls for the
   * purchase columns when no purchase model is, and for p_alive when it is withheld.
   */
  public Dataset<Row> transform(Dataset<Row> summary) {
    Dataset<Row> scored = summary;
    if (spend != null) {
      scored = spend.transform(scored);
    } else {
      org.apache.spark.sql.Column x = col(BtydSummary.X).cast("double");
      org.apache.spark.sql.Column monetary = col(BtydSummary.MONETARY).cast("double");
      org.apache.spark.sql.Column mean = Double.isFinite(meanRepeatOrderValue) ? lit(meanRepeatOrderValue)
          : lit(null).cast(DataTypes.DoubleType);
      scored = scored.withColumn(BtydOutputs.EXPECTED_ORDER_VALUE,
          when(x.gt(0).and(monetary.isNotNull()),
              x.multiply(monetary).plus(mean.multiply(EMPIRICAL_PRIOR_ORDERS)).divide(x.plus(EMPIRICAL_PRIOR_ORDERS)))
              .otherwise(mean));
    }
    org.apache.spark.sql.Column none = lit(null).cast(DataTypes.DoubleType);
    if (purchases != null) {
      Dataset<Row> purchased = purchases.transform(scored);
      return pAliveWithheld ? purchased.withColumn(BtydOutputs.P_ALIVE, none) : purchased;
    }
    return scored.withColumn(BtydOutputs.P_ALIVE, none).withColumn(BtydOutputs.EXPECTED_PURCHASES, none)
        .withColumn(BtydOutputs.CLV, none);
  }
}

package org.crmanalytics.models.btyd;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.crmanalytics.models.contract.Contract;

/**
 * The CLV score from the silver sales table: orders up to as_of → BTYD summary → Gamma-Gamma and
 * BG/NBD (or Pareto/NBD) fitted as one PipelineModel → per customer P(alive), expected orders and
 * order value, and CLV over the horizon.
 *
 * <p>Transactions: one order (order_id) is one transaction, dated by its order date and worth the
 * sum of its lines' net_amount (negative lines inside an order, such as discounts, reduce it).
 * Return lines (line_type 'return') are not purchases: when they name the order they reverse
 * (original_order_id) and are dated up to as_of, their (negative) amount is netted into that
 * order; returns without original_order_id cannot be attributed and are left out. An order whose
 * netted value is not positive (fully returned, a pure credit) is not a transaction. Several
 * orders of one customer on one day are one transaction (the summary merges same-day purchases).
 */
public final class CustomerLifetimeValue {
  public static final String ORDER_VALUE = "order_value";

  private CustomerLifetimeValue() {}

  /** Transactions (customer_id, order_date, order_value) up to as_of, per the rules above. */
  public static Dataset<Row> orders(Dataset<Row> sales, java.time.LocalDate asOf) {
    Column upToAsOf = col(Contract.Sales.ORDER_DATE).leq(to_date(lit(asOf.toString())));
    Column isReturn = coalesce(col(Contract.Sales.LINE_TYPE), lit(Contract.Sales.TYPE_ORDER))
        .equalTo(Contract.Sales.TYPE_RETURN);
    Dataset<Row> seen = sales.filter(upToAsOf);
    Dataset<Row> orders = seen.filter(isReturn.unary_$bang())
        .groupBy(col(Contract.Sales.ORDER_ID))
        .agg(min(col(Contract.Sales.CUSTOMER_ID)).as(Contract.Sales.CUSTOMER_ID),
            min(col(Contract.Sales.ORDER_DATE)).as(Contract.Sales.ORDER_DATE),
            sum(col(Contract.Sales.NET_AMOUNT).cast("double")).as(ORDER_VALUE));
    if (sales.schema().getFieldIndex(Contract.Sales.ORIGINAL_ORDER_ID).isDefined()) {
      Dataset<Row> returned = seen.filter(isReturn.and(col(Contract.Sales.ORIGINAL_ORDER_ID).isNotNull()))
          .groupBy(col(Contract.Sales.ORIGINAL_ORDER_ID).as("returned_order_id"))
          .agg(sum(col(Contract.Sales.NET_AMOUNT).cast("double")).as("returned"));
      orders = orders.join(returned, orders.col(Contract.Sales.ORDER_ID).equalTo(returned.col("returned_order_id")),
              "left")
          .withColumn(ORDER_VALUE, col(ORDER_VALUE).plus(coalesce(col("returned"), lit(0.0))));
    }
    return orders.filter(col(ORDER_VALUE).gt(0))
        .select(col(Contract.Sales.CUSTOMER_ID), col(Contract.Sales.ORDER_DATE), col(ORDER_VALUE));
  }

  /** The BTYD summary of the orders up to as_of, calibrated to as_of, in the settings' time unit. */
  public static Dataset<Row> summary(Dataset<Row> sales, ClvSettings settings) {
    return BtydSummary.summarize(orders(sales, settings.asOf()),
        new BtydSummary.LogColumns(Contract.Sales.CUSTOMER_ID, Contract.Sales.ORDER_DATE, ORDER_VALUE),
        settings.asOf(), settings.timeUnit());
  }

  /** Gamma-Gamma, then the purchase model (which adds the CLV from the expected order value). */
  public static PipelineModel fit(Dataset<Row> summary, ClvSettings settings) {
    PurchaseEstimator<?> purchases = purchaseEstimator(settings.model(), settings);
    GammaGamma spend = new GammaGamma().setMaxDistinctRows(settings.maxDistinctRows());
    return new Pipeline().setStages(new PipelineStage[] {spend, purchases}).fit(summary);
  }

  /**
   * Fits the configured purchase model and Gamma-Gamma and keeps only what {@link FitDiagnostics}
   * passes; never throws for what the data are (small, sparse, no repeat buyers, no orders at all).
   * Fallbacks (docs/clv.md, "Degenerate fits"): a degenerate or failed purchase model is replaced
   * by the other one (BG/NBD and Pareto/NBD); when both are degenerate there is no purchase model
   * and P(alive), expected orders and CLV are null; a degenerate Gamma-Gamma is replaced by
   * empirical order values (each customer's mean repeat order value shrunk to the population mean).
   * With fewer than {@link FitDiagnostics#MIN_REPEAT_BUYERS} repeat buyers nothing is fitted.
   */
  public static ClvFit fitWithFallback(Dataset<Row> summary, ClvSettings settings) {
    Column x = col(BtydSummary.X).cast("double");
    Column repeat = x.gt(0);
    Row stats = summary.agg(functions.count(x), sum(when(repeat, 1L).otherwise(0L)),
        sum(when(repeat, x.multiply(col(BtydSummary.MONETARY).cast("double")))), sum(when(repeat, x))).first();
    long buyers = stats.getLong(0);
    long repeatBuyers = stats.isNullAt(1) ? 0 : stats.getLong(1);
    double meanValue = repeatBuyers == 0 || stats.isNullAt(2) ? Double.NaN : stats.getDouble(2) / stats.getDouble(3);
    List<ClvFit.Finding> findings = new ArrayList<>();

    FitVerdict enough = FitDiagnostics.repeatBuyers(repeatBuyers);
    if (enough.degenerate()) {
      String reason = buyers == 0 ? "no customer has an order with a positive value up to as_of " + settings.asOf()
          : enough.reason();
      findings.add(new ClvFit.Finding(buyers == 0 ? "clv_no_orders" : enough.code(), reason
          + "; P(alive), expected orders and CLV are null" + (repeatBuyers > 0
              ? ", expected_order_value is the " + ClvFit.EMPIRICAL : "")));
      return new ClvFit(null, null, null, "no model: " + reason, findings, meanValue, false);
    }

    GammaGammaModel spend = null;
    try {
      GammaGammaModel fitted = new GammaGamma().setMaxDistinctRows(settings.maxDistinctRows()).fit(summary);
      FitVerdict verdict = FitDiagnostics.spend(fitted);
      if (verdict.degenerate()) {
        findings.add(new ClvFit.Finding(verdict.code(), verdict.reason() + "; expected_order_value is the "
            + ClvFit.EMPIRICAL + " instead (the customer's mean shrunk to the population mean)"));
      } else {
        spend = fitted;
      }
    } catch (RuntimeException e) {
      findings.add(new ClvFit.Finding("clv_fit_failed", "Gamma-Gamma could not be fitted (" + firstLine(e)
          + "); expected_order_value is the " + ClvFit.EMPIRICAL + " instead"));
    }

    ClvSettings.PurchaseModelKind configured = settings.model();
    ClvSettings.PurchaseModelKind other = configured == ClvSettings.PurchaseModelKind.BGNBD
        ? ClvSettings.PurchaseModelKind.PARETONBD : ClvSettings.PurchaseModelKind.BGNBD;
    PurchaseModel<?> purchases = null;
    String used = null;
    PurchaseModel<?> withoutDropout = null; // the first fit rejected only for showing no dropout
    String withoutDropoutKey = null;
    List<String> rejected = new ArrayList<>();
    for (ClvSettings.PurchaseModelKind kind : List.of(configured, other)) {
      String key = key(kind);
      FitVerdict verdict;
      PurchaseModel<?> fitted = null;
      try {
        fitted = purchaseEstimator(kind, settings).fit(summary);
        verdict = judge(fitted, summary);
      } catch (RuntimeException e) {
        verdict = new FitVerdict(true, "clv_fit_failed", key + " could not be fitted: " + firstLine(e));
      }
      if (!verdict.degenerate()) {
        if (verdict.hasNote()) {
          findings.add(new ClvFit.Finding(verdict.code(), verdict.reason()));
        }
        purchases = fitted;
        used = key;
        break;
      }
      findings.add(new ClvFit.Finding(verdict.code(), verdict.reason()));
      rejected.add(key);
      if (verdict.code().equals(FitDiagnostics.NO_DROPOUT) && withoutDropout == null) {
        withoutDropout = fitted;
        withoutDropoutKey = key;
      }
    }
    String spendBasis = spend != null ? "gamma-gamma" : ClvFit.EMPIRICAL;
    String basis;
    boolean pAliveWithheld = purchases == null && withoutDropout != null;
    if (pAliveWithheld) {
      // Its purchase rates still stand; only P(alive), which would rank nobody, is withheld.
      purchases = withoutDropout;
      used = withoutDropoutKey;
      findings.add(new ClvFit.Finding("clv_p_alive_withheld", "P(alive) is null: neither purchase model tells "
          + "customers who left from customers who stay; expected orders and CLV are from " + used + ", which has "
          + "almost no customer leaving within the horizon, so they are an upper bound"));
      basis = used + " without P(alive) (no dropout seen) + " + spendBasis;
    } else if (purchases == null) {
      findings.add(new ClvFit.Finding("clv_no_purchase_model", "neither bgnbd nor paretonbd gives a usable fit on "
          + repeatBuyers + " repeat buyers of " + buyers + " customers with orders; P(alive), expected orders and CLV "
          + "are null, expected_order_value is from " + spendBasis));
      basis = "no purchase model (bgnbd and paretonbd degenerate); order value: " + spendBasis;
    } else {
      if (!rejected.isEmpty()) {
        findings.add(new ClvFit.Finding("clv_fallback_model", "clv.model " + key(configured)
            + " gave a degenerate fit; " + used + " was used instead (set clv.model: " + used
            + " to choose it directly)"));
      }
      basis = used + (rejected.isEmpty() ? "" : " (clv.model " + key(configured) + " degenerate)") + " + " + spendBasis;
    }
    return new ClvFit(purchases, spend, used, basis, findings, meanValue, pAliveWithheld);
  }

  /**
   * {@link FitDiagnostics#purchase(PurchaseModel)} on the coefficients, then, when they pass,
   * whether the model's P(alive) doubts enough of the summary's repeat buyers
   * ({@link FitDiagnostics#dropoutSeen}).
   */
  public static FitVerdict judge(PurchaseModel<?> model, Dataset<Row> summary) {
    FitVerdict coefficients = FitDiagnostics.purchase(model);
    if (coefficients.degenerate()) {
      return coefficients;
    }
    Column repeat = col(BtydSummary.X).cast("double").gt(0);
    Row counts = model.transform(summary.filter(repeat))
        .agg(functions.count(lit(1)),
            sum(when(col(BtydOutputs.P_ALIVE).lt(FitDiagnostics.GONE_DOUBT), 1L).otherwise(0L)))
        .first();
    long repeatBuyers = counts.getLong(0);
    long doubted = counts.isNullAt(1) ? 0 : counts.getLong(1);
    FitVerdict seen = FitDiagnostics.dropoutSeen(model, doubted, repeatBuyers);
    return seen.degenerate() ? seen : coefficients;
  }

  private static PurchaseEstimator<?> purchaseEstimator(ClvSettings.PurchaseModelKind kind, ClvSettings settings) {
    PurchaseEstimator<?> purchases = kind == ClvSettings.PurchaseModelKind.PARETONBD ? new ParetoNbd() : new BgNbd();
    purchases.setTimeUnit(settings.timeUnit())
        .setHorizonMonths(settings.horizonMonths())
        .setAnnualDiscountRate(settings.annualDiscountRate())
        .setMaxDistinctRows(settings.maxDistinctRows());
    return purchases;
  }

  /** The value of the config key clv.model for this model. */
  public static String key(ClvSettings.PurchaseModelKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }

  /** The version of a fallback fit: also covers which models were used (an empirical order value has no coefficients). */
  public static String version(ClvFit fit, PipelineModel fitted, ClvSettings settings) {
    return version(fitted, settings, " basis=" + fit.basis());
  }

  /** "2025-12-31-1a2b3c4d": as_of and the first 8 hex digits of SHA-256 over settings and coefficients. */
  public static String version(PipelineModel fitted, ClvSettings settings) {
    return version(fitted, settings, "");
  }

  private static String version(PipelineModel fitted, ClvSettings settings, String extra) {
    StringBuilder text = new StringBuilder(settings.describe()).append(extra);
    for (Transformer t : fitted.stages()) {
      double[] c = t instanceof PurchaseModel<?> p ? p.coefficients() : ((GammaGammaModel) t).coefficients();
      text.append(' ').append(t.getClass().getSimpleName());
      for (double v : c) {
        text.append(String.format(Locale.ROOT, " %.17g", v));
      }
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return settings.asOf() + "-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One row per customer of {@code customers} or of the summary ({@link ClvOutput#SCHEMA}).
   * Customers without an order up to as_of are outside the BTYD population (its clock starts at the
   * first purchase): all their model columns are null; clv_horizon_months and model_version are set.
   */
  public static Dataset<Row> score(PipelineModel fitted, Dataset<Row> summary, Dataset<Row> customers,
      ClvSettings settings, String version) {
    PurchaseModel<?> purchases = (PurchaseModel<?>) fitted.stages()[fitted.stages().length - 1];
    String model = purchases instanceof ParetoNbdModel ? key(ClvSettings.PurchaseModelKind.PARETONBD)
        : key(ClvSettings.PurchaseModelKind.BGNBD);
    return score(fitted.transform(summary), customers, settings, version, model, model + " + gamma-gamma");
  }

  /** {@link #score(PipelineModel, Dataset, Dataset, ClvSettings, String)} for a fit with fallbacks. */
  public static Dataset<Row> score(ClvFit fit, Dataset<Row> summary, Dataset<Row> customers, ClvSettings settings,
      String version) {
    return score(fit.transform(summary), customers, settings, version, fit.purchaseModel(), fit.basis());
  }

  private static Dataset<Row> score(Dataset<Row> scored, Dataset<Row> customers, ClvSettings settings,
      String version, String model, String basis) {
    Dataset<Row> ids = customers.select(col(Contract.Customers.CUSTOMER_ID).cast("string").as(ClvOutput.CUSTOMER_ID))
        .distinct();
    Dataset<Row> all = ids.join(scored, new String[] {ClvOutput.CUSTOMER_ID}, "full_outer");
    Column[] columns = new Column[ClvOutput.SCHEMA.size()];
    int i = 0;
    for (StructField f : ClvOutput.SCHEMA.fields()) {
      Column c = switch (f.name()) {
        case ClvOutput.CLV_HORIZON_MONTHS -> lit(settings.horizonMonths());
        case ClvOutput.MODEL_VERSION -> lit(version);
        case ClvOutput.CLV_MODEL -> lit(model);
        case ClvOutput.CLV_BASIS -> lit(basis);
        default -> col(f.name());
      };
      columns[i++] = c.cast(f.dataType()).as(f.name());
    }
    return all.select(columns);
  }
}

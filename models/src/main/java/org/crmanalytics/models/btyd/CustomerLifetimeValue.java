package org.crmanalytics.models.btyd;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
    PurchaseEstimator<?> purchases = settings.model() == ClvSettings.PurchaseModelKind.PARETONBD
        ? new ParetoNbd() : new BgNbd();
    purchases.setTimeUnit(settings.timeUnit())
        .setHorizonMonths(settings.horizonMonths())
        .setAnnualDiscountRate(settings.annualDiscountRate())
        .setMaxDistinctRows(settings.maxDistinctRows());
    GammaGamma spend = new GammaGamma().setMaxDistinctRows(settings.maxDistinctRows());
    return new Pipeline().setStages(new PipelineStage[] {spend, purchases}).fit(summary);
  }

  /** "2025-12-31-1a2b3c4d": as_of and the first 8 hex digits of SHA-256 over settings and coefficients. */
  public static String version(PipelineModel fitted, ClvSettings settings) {
    StringBuilder text = new StringBuilder(settings.describe());
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
    Dataset<Row> scored = fitted.transform(summary);
    Dataset<Row> ids = customers.select(col(Contract.Customers.CUSTOMER_ID).cast("string").as(ClvOutput.CUSTOMER_ID))
        .distinct();
    Dataset<Row> all = ids.join(scored, new String[] {ClvOutput.CUSTOMER_ID}, "full_outer");
    Column[] columns = new Column[ClvOutput.SCHEMA.size()];
    int i = 0;
    for (StructField f : ClvOutput.SCHEMA.fields()) {
      Column c = switch (f.name()) {
        case ClvOutput.CLV_HORIZON_MONTHS -> lit(settings.horizonMonths());
        case ClvOutput.MODEL_VERSION -> lit(version);
        default -> col(f.name());
      };
      columns[i++] = c.cast(f.dataType()).as(f.name());
    }
    return all.select(columns);
  }
}

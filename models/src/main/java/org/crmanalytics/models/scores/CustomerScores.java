package org.crmanalytics.models.scores;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code customer_scores}: one row per customer and run, what the CRM and the scorecard consume.
 * Later scores (payment default, cross-sell) add columns; existing ones keep their names and types.
 * Every column is nullable because that is how Parquet reads them back; a score whose inputs were
 * absent is null (documented in docs/customer-scores.md).
 */
public final class CustomerScores {
  public static final String CUSTOMER_ID = "customer_id";
  public static final String AS_OF = "as_of";
  public static final String RUN_ID = "run_id";
  public static final String SALES_REP_ID = "sales_rep_id";

  public static final String ABC_CLASS = "abc_class";
  public static final String ABC_SCORE = "abc_score";
  public static final String PREVIOUS_ABC_CLASS = "previous_abc_class";
  /** up, down, same or new (see AbcOutput.Customers.DIRECTION). */
  public static final String ABC_TREND = "abc_trend";
  public static final String ABC_REASON_EN = "abc_reason_en";
  public static final String ABC_REASON_DE = "abc_reason_de";

  /** Customer lifetime value over {@link #CLV_HORIZON_MONTHS}, discounted, in the sales currency. */
  public static final String CLV = "clv";
  public static final String CLV_HORIZON_MONTHS = "clv_horizon_months";
  public static final String P_ALIVE = "p_alive";
  /**
   * {@link #ONE_TIME_BUYER} where P(alive) comes from BG/NBD and the customer has no repeat order:
   * BG/NBD lets a customer leave only after a repeat purchase, so its P(alive) is 1 for them by
   * construction and says nothing about whether they are still active (docs/clv.md); null otherwise.
   */
  public static final String P_ALIVE_CAVEAT = "p_alive_caveat";
  public static final String ONE_TIME_BUYER = "one_time_buyer";
  /** Expected number of orders in the CLV horizon. */
  public static final String EXPECTED_ORDERS = "expected_orders";
  public static final String EXPECTED_ORDER_VALUE = "expected_order_value";

  public static final String CHURN_PROBABILITY = "churn_probability";
  /** high, medium or low (thresholds in config churn.bands). */
  public static final String CHURN_BAND = "churn_band";
  /** churn_probability × clv. */
  public static final String VALUE_AT_RISK = "value_at_risk";
  /** Rank by value at risk within the sales rep's customers, 1 = most at stake. */
  public static final String RISK_RANK_IN_REP = "risk_rank_in_rep";
  /** The churn reasons as one line, e.g. "orders in the last 90 days: 1 (typical: 6); ...". */
  public static final String CHURN_REASONS_EN = "churn_reasons_en";
  public static final String CHURN_REASONS_DE = "churn_reasons_de";
  /** The same reasons, structured: see {@link Reason}. */
  public static final String CHURN_REASONS = "churn_reasons";

  public static final String CHURN_MODEL_VERSION = "churn_model_version";
  public static final String CLV_MODEL_VERSION = "clv_model_version";
  /**
   * What the churn band rests on: {@link #BASIS_MODEL} (the promoted churn model's probability) or
   * {@link #BASIS_RULE} (no churn score for this as_of: recency against the customer's usual gap
   * between orders, docs/customer-scores.md); null when the customer has neither.
   */
  public static final String CHURN_BASIS = "churn_basis";
  public static final String BASIS_MODEL = "model";
  public static final String BASIS_RULE = "rule";

  /** Probability of a payment default within payment_risk.default.horizon_months (docs/payment-risk.md). */
  public static final String PAYMENT_DEFAULT_PROBABILITY = "payment_default_probability";
  /** high, medium, low, or in_default (a default at as_of already: not a risk, a fact). */
  public static final String PAYMENT_RISK_BAND = "payment_risk_band";
  public static final String BAND_IN_DEFAULT = "in_default";
  /** Risk bands from the most to the least urgent, the order in which people read them. */
  public static final java.util.List<String> BANDS_BY_URGENCY = java.util.List.of(BAND_IN_DEFAULT, "high", "medium", "low");

  /** A band's place in {@link #BANDS_BY_URGENCY}; an unknown band or none (null) comes last. */
  public static int urgency(String band) {
    int i = band == null ? -1 : BANDS_BY_URGENCY.indexOf(band);
    return i < 0 ? BANDS_BY_URGENCY.size() : i;
  }
  /** Open receivables plus open orders at as_of: what a default would put at stake. */
  public static final String PAYMENT_EXPOSURE = "payment_exposure";
  /** Open receivables past their due date at as_of. */
  public static final String PAYMENT_OVERDUE = "payment_overdue";
  /** payment_default_probability × payment_exposure (the whole exposure when in default). */
  public static final String PAYMENT_EXPECTED_LOSS = "payment_expected_loss";
  /** The first payment_risk.actions rule that matches (credit_hold, prepayment, escalate_dunning, review); null for none. */
  public static final String PAYMENT_ACTION = "payment_action";
  public static final String PAYMENT_ACTION_REASON_EN = "payment_action_reason_en";
  public static final String PAYMENT_ACTION_REASON_DE = "payment_action_reason_de";
  public static final String PAYMENT_REASONS_EN = "payment_reasons_en";
  public static final String PAYMENT_REASONS_DE = "payment_reasons_de";
  /** The same reasons, structured: see {@link Reason}. */
  public static final String PAYMENT_REASONS = "payment_reasons";
  public static final String PAYMENT_MODEL_VERSION = "payment_model_version";

  /**
   * The sum of the € potential per year of the customer's cross-sell recommendations (probability ×
   * gap, docs/cross-sell.md); 0 for a customer without one, null when no cross-sell ran.
   */
  public static final String CROSS_SELL_POTENTIAL = "cross_sell_potential";
  /** The customer's first, second and third recommended item; null where it has fewer. */
  public static final String CROSS_SELL_ITEM_1 = "cross_sell_item_1";
  public static final String CROSS_SELL_ITEM_2 = "cross_sell_item_2";
  public static final String CROSS_SELL_ITEM_3 = "cross_sell_item_3";
  /** The ranking the items come from: blend or white_space. */
  public static final String CROSS_SELL_METHOD = "cross_sell_method";

  /** One driver of the churn risk (or the payment-default risk) of one customer. */
  public static final class Reason {
    /** 1..3 within its direction, 1 = strongest. */
    public static final String RANK = "rank";
    /** raises or lowers. */
    public static final String DIRECTION = "direction";
    public static final String FEATURE = "feature";
    /** Additive contribution to the model's margin (log-odds). */
    public static final String CONTRIBUTION = "contribution";
    public static final String VALUE = "value";
    /** What is typical in the customer's segment (median). */
    public static final String TYPICAL = "typical";
    public static final String TEXT_EN = "text_en";
    public static final String TEXT_DE = "text_de";

    public static final String RAISES = "raises";
    public static final String LOWERS = "lowers";

    public static final StructType SCHEMA = new StructType()
        .add(RANK, IntegerType, true)
        .add(DIRECTION, StringType, true)
        .add(FEATURE, StringType, true)
        .add(CONTRIBUTION, DoubleType, true)
        .add(VALUE, DoubleType, true)
        .add(TYPICAL, DoubleType, true)
        .add(TEXT_EN, StringType, true)
        .add(TEXT_DE, StringType, true);

    private Reason() {}
  }

  public static final ArrayType REASONS_TYPE = DataTypes.createArrayType(Reason.SCHEMA, true);

  public static final StructType SCHEMA = new StructType()
      .add(CUSTOMER_ID, StringType, true)
      .add(AS_OF, DateType, true)
      .add(RUN_ID, StringType, true)
      .add(SALES_REP_ID, StringType, true)
      .add(ABC_CLASS, StringType, true)
      .add(ABC_SCORE, DoubleType, true)
      .add(PREVIOUS_ABC_CLASS, StringType, true)
      .add(ABC_TREND, StringType, true)
      .add(ABC_REASON_EN, StringType, true)
      .add(ABC_REASON_DE, StringType, true)
      .add(CLV, DoubleType, true)
      .add(CLV_HORIZON_MONTHS, IntegerType, true)
      .add(P_ALIVE, DoubleType, true)
      .add(P_ALIVE_CAVEAT, StringType, true)
      .add(EXPECTED_ORDERS, DoubleType, true)
      .add(EXPECTED_ORDER_VALUE, DoubleType, true)
      .add(CHURN_PROBABILITY, DoubleType, true)
      .add(CHURN_BAND, StringType, true)
      .add(VALUE_AT_RISK, DoubleType, true)
      .add(RISK_RANK_IN_REP, IntegerType, true)
      .add(CHURN_REASONS_EN, StringType, true)
      .add(CHURN_REASONS_DE, StringType, true)
      .add(CHURN_REASONS, REASONS_TYPE, true)
      .add(CHURN_MODEL_VERSION, StringType, true)
      .add(CLV_MODEL_VERSION, StringType, true)
      .add(CHURN_BASIS, StringType, true)
      .add(PAYMENT_DEFAULT_PROBABILITY, DoubleType, true)
      .add(PAYMENT_RISK_BAND, StringType, true)
      .add(PAYMENT_EXPOSURE, DoubleType, true)
      .add(PAYMENT_OVERDUE, DoubleType, true)
      .add(PAYMENT_EXPECTED_LOSS, DoubleType, true)
      .add(PAYMENT_ACTION, StringType, true)
      .add(PAYMENT_ACTION_REASON_EN, StringType, true)
      .add(PAYMENT_ACTION_REASON_DE, StringType, true)
      .add(PAYMENT_REASONS_EN, StringType, true)
      .add(PAYMENT_REASONS_DE, StringType, true)
      .add(PAYMENT_REASONS, REASONS_TYPE, true)
      .add(PAYMENT_MODEL_VERSION, StringType, true)
      .add(CROSS_SELL_POTENTIAL, DoubleType, true)
      .add(CROSS_SELL_ITEM_1, StringType, true)
      .add(CROSS_SELL_ITEM_2, StringType, true)
      .add(CROSS_SELL_ITEM_3, StringType, true)
      .add(CROSS_SELL_METHOD, StringType, true);

  private CustomerScores() {}
}

package org.crmanalytics.tools.generate;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What the generator knows and the input tables do not say: each customer's fate and the latent
 * factors behind it, and the industry-to-product-group affinities. Written to
 * {@code ground_truth/} for evaluating churn, default and cross-sell models, never into the
 * input tables.
 *
 * <p><b>Cross-sell.</b> {@link GroupAdoptionTruth} and {@link ComplementGroups} hold the adoption
 * process the generator ran (GroupAdoption): the oracle cross-sell ranking at any date.
 *
 * <p><b>Payment default.</b> {@code default_date} is the label: the day the customer stopped
 * paying (null if it does not default within the history). {@code annual_default_hazard} is
 * the oracle score, the rate the default was drawn from: a customer defaults
 * {@code 180 + Exp(365 / hazard)} days after its history (or account) starts, unless it
 * switches supplier first (at {@code annual_churn_hazard}). It is the score a model that knew
 * the latent factors (financial stress, industry, size, payment habit) would give at any date,
 * constant over time, so it is the ceiling to compare a default model's ranking (AUC, lift)
 * against. As a probability of defaulting within {@code h} years for a customer alive at a date
 * past its first 180 days: {@code d / (d + c) * (1 - exp(-(d + c) * h))} with {@code d} the
 * default and {@code c} the churn hazard. The oracle does not see the precursors the input
 * tables carry in the months before a default (Skonto given up, payments later and split, rushed
 * larger orders, reminders): a model that reads them may rank a customer already in distress
 * above the oracle, close to its default date.
 */
public final class GroundTruth {
  private GroundTruth() {}

  public static final String FOLDER = "ground_truth";

  public static final class CustomerTruth {
    public static final String NAME = "customer_truth";
    public static final String CUSTOMER_ID = "customer_id";
    /** Stopped buying within the history (switched supplier or defaulted). */
    public static final String CHURNED = "churned";
    /** The last day the customer was a buyer; no order after it. Null if still buying. */
    public static final String CHURN_DATE = "churn_date";
    /** "switched" (went to a competitor) or "default" (stopped paying); null if not churned. */
    public static final String CHURN_CAUSE = "churn_cause";
    /** First day of the run-up (declining orders, or growing payment delays before a default). */
    public static final String DECLINE_START_DATE = "decline_start_date";
    public static final String WILL_DEFAULT = "will_default";
    /** The day the customer stopped paying; no payment after it. */
    public static final String DEFAULT_DATE = "default_date";
    public static final String SEGMENT = "segment";
    public static final String ORDER_PROPENSITY = "order_propensity";
    public static final String SATISFACTION = "satisfaction";
    public static final String PRICE_SENSITIVITY = "price_sensitivity";
    public static final String CAMPAIGN_AFFINITY = "campaign_affinity";
    public static final String PAYMENT_BEHAVIOUR = "payment_behaviour";
    public static final String DISCOUNT_RATE = "discount_rate";
    public static final String FINANCIAL_STRESS = "financial_stress";
    public static final String ANNUAL_CHURN_HAZARD = "annual_churn_hazard";
    /**
     * The rate per year at which the customer defaults: the oracle default score (see the class
     * comment); {@link #DEFAULT_DATE} is the realised outcome.
     */
    public static final String ANNUAL_DEFAULT_HAZARD = "annual_default_hazard";

    public static final StructType SCHEMA =
        new StructType(new StructField[] {
          field(CUSTOMER_ID, StringType, false),
          field(CHURNED, BooleanType, false),
          field(CHURN_DATE, DateType, true),
          field(CHURN_CAUSE, StringType, true),
          field(DECLINE_START_DATE, DateType, true),
          field(WILL_DEFAULT, BooleanType, false),
          field(DEFAULT_DATE, DateType, true),
          field(SEGMENT, StringType, false),
          field(ORDER_PROPENSITY, DoubleType, false),
          field(SATISFACTION, DoubleType, false),
          field(PRICE_SENSITIVITY, DoubleType, false),
          field(CAMPAIGN_AFFINITY, DoubleType, false),
          field(PAYMENT_BEHAVIOUR, StringType, false),
          field(DISCOUNT_RATE, DoubleType, false),
          field(FINANCIAL_STRESS, DoubleType, false),
          field(ANNUAL_CHURN_HAZARD, DoubleType, false),
          field(ANNUAL_DEFAULT_HAZARD, DoubleType, false),
        });
  }

  public static final class IndustryAffinity {
    public static final String NAME = "industry_affinity";
    public static final String INDUSTRY = "industry";
    public static final String PRODUCT_GROUP = "product_group";
    /** Relative weight of the group in the industry's purchases (before personal taste). */
    public static final String WEIGHT = "weight";

    public static final StructType SCHEMA =
        new StructType(new StructField[] {
          field(INDUSTRY, StringType, false),
          field(PRODUCT_GROUP, StringType, false),
          field(WEIGHT, DoubleType, false),
        });
  }

  /**
   * The cross-sell truth, one row per customer and product group (GroupAdoption): whether the
   * customer held the group when its history (or account) began, the day it took the group up in
   * the history, and the monthly hazard it did so at. The hazard is before the complement lift:
   * from the first month after the customer holds an antecedent of the group
   * ({@link ComplementGroups}), it is that many times higher. The chance of taking up a group not
   * held at T within (T, T + m months] is {@code 1 − exp(−hazard · lift · m)}.
   */
  public static final class GroupAdoptionTruth {
    public static final String NAME = "group_adoption";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String PRODUCT_GROUP = "product_group";
    public static final String INITIALLY_HELD = "initially_held";
    /** Day the group was taken up in the history; null if held from the start or never taken up. */
    public static final String ADOPTED_DATE = "adopted_date";
    public static final String MONTHLY_HAZARD = "monthly_hazard";

    public static final StructType SCHEMA =
        new StructType(new StructField[] {
          field(CUSTOMER_ID, StringType, false),
          field(PRODUCT_GROUP, StringType, false),
          field(INITIALLY_HELD, BooleanType, false),
          field(ADOPTED_DATE, DateType, true),
          field(MONTHLY_HAZARD, DoubleType, false),
        });
  }

  /** The complementary pairs: holding the antecedent multiplies the complement's hazard by the lift. */
  public static final class ComplementGroups {
    public static final String NAME = "complement_groups";
    public static final String ANTECEDENT_GROUP = "antecedent_group";
    public static final String COMPLEMENT_GROUP = "complement_group";
    public static final String HAZARD_LIFT = "hazard_lift";

    public static final StructType SCHEMA =
        new StructType(new StructField[] {
          field(ANTECEDENT_GROUP, StringType, false),
          field(COMPLEMENT_GROUP, StringType, false),
          field(HAZARD_LIFT, DoubleType, false),
        });
  }

  private static StructField field(String name, org.apache.spark.sql.types.DataType type,
      boolean nullable) {
    return new StructField(name, type, nullable, Metadata.empty());
  }
}

package org.crmanalytics.models.abc;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Money;

/**
 * The two outputs of the classification: one row per customer, and the migration matrix against
 * the previous run. Every column is nullable because that is how Parquet reads them back; which
 * ones are null when is documented in docs/abc.md.
 */
public final class AbcOutput {
  /** Sums of contract money over many lines, exact. */
  public static final DataType MONEY_SUM = Money.SUM;

  private AbcOutput() {}

  public static final class Customers {
    public static final String CUSTOMER_ID = "customer_id";
    /** The value of the segment column within which classes were cut; null when cut over all. */
    public static final String SEGMENT = "segment";
    public static final String CLASS = "class";
    public static final String SCORE = "score";
    /** Rank by value within the segment, 1 = highest; equal values share a rank (1, 2, 2, 4). */
    public static final String RANK = "rank";
    /** Rank by score within the segment, same tie rule. */
    public static final String SCORE_RANK = "score_rank";
    public static final String REVENUE = "revenue";
    /** The classified measure (revenue or margin) over the window. */
    public static final String VALUE = "value";
    public static final String VALUE_SHARE = "value_share";
    public static final String CUMULATIVE_SHARE = "cumulative_share";
    public static final String GROWTH_PERCENT = "growth_percent";
    public static final String XYZ_CLASS = "xyz_class";
    public static final String XYZ_CV = "xyz_cv";
    public static final String VALUE_SCORE = "value_score";
    public static final String GROWTH_SCORE = "growth_score";
    public static final String POTENTIAL_SCORE = "potential_score";
    public static final String LOYALTY_SCORE = "loyalty_score";
    public static final String PAYMENT_SCORE = "payment_score";
    public static final String MEAN_DAYS_LATE = "mean_days_late";
    public static final String PREVIOUS_CLASS = "previous_class";
    public static final String DIRECTION = "direction";
    public static final String REASON_EN = "reason_en";
    public static final String REASON_DE = "reason_de";

    public static final String UP = "up";
    public static final String DOWN = "down";
    public static final String SAME = "same";
    public static final String NEW = "new";

    public static final StructType SCHEMA = new StructType()
        .add(CUSTOMER_ID, StringType, true)
        .add(SEGMENT, StringType, true)
        .add(CLASS, StringType, true)
        .add(SCORE, DoubleType, true)
        .add(RANK, IntegerType, true)
        .add(SCORE_RANK, IntegerType, true)
        .add(REVENUE, MONEY_SUM, true)
        .add(VALUE, MONEY_SUM, true)
        .add(VALUE_SHARE, DoubleType, true)
        .add(CUMULATIVE_SHARE, DoubleType, true)
        .add(GROWTH_PERCENT, DoubleType, true)
        .add(XYZ_CLASS, StringType, true)
        .add(XYZ_CV, DoubleType, true)
        .add(VALUE_SCORE, DoubleType, true)
        .add(GROWTH_SCORE, DoubleType, true)
        .add(POTENTIAL_SCORE, DoubleType, true)
        .add(LOYALTY_SCORE, DoubleType, true)
        .add(PAYMENT_SCORE, DoubleType, true)
        .add(MEAN_DAYS_LATE, DoubleType, true)
        .add(PREVIOUS_CLASS, StringType, true)
        .add(DIRECTION, StringType, true)
        .add(REASON_EN, StringType, true)
        .add(REASON_DE, StringType, true);

    private Customers() {}
  }

  /** Counts of customers per (previous class, current class); null stands for "not in that run". */
  public static final class Migration {
    public static final String PREVIOUS_AS_OF = "previous_as_of";
    public static final String PREVIOUS_CLASS = "previous_class";
    public static final String CLASS = "class";
    public static final String CUSTOMERS = "customers";

    public static final StructType SCHEMA = new StructType()
        .add(PREVIOUS_AS_OF, DateType, true)
        .add(PREVIOUS_CLASS, StringType, true)
        .add(CLASS, StringType, true)
        .add(CUSTOMERS, LongType, true);

    private Migration() {}
  }
}

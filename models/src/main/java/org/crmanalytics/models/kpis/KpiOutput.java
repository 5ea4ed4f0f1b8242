package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The two outputs of the KPI stage: the KPI values in long format and the escalation list. */
public final class KpiOutput {
  public static final String PERIOD_TYPE = "period_type";
  public static final String PERIOD = "period";
  public static final String PARTIAL = "partial";
  public static final String DIMENSION = "dimension";
  public static final String DIMENSION_VALUE = "dimension_value";
  public static final String KPI = "kpi";
  public static final String VALUE = "value";
  public static final String TARGET = "target";

  /** dimension_value of {@link KpiSettings.Dimension#ALL}. */
  public static final String ALL_VALUE = "all";
  /** dimension_value of facts whose rep, channel, region, ... is not recorded. */
  public static final String NOT_RECORDED = "(none)";

  /**
   * One KPI value: which period (its type, label, and whether it still runs at as_of), which slice
   * (dimension and value), which KPI, its value and, where sales_targets has one, its target.
   */
  public static final StructType SCHEMA = new StructType(new StructField[] {
      field(PERIOD_TYPE, StringType, false),
      field(PERIOD, StringType, false),
      field(PARTIAL, BooleanType, false),
      field(DIMENSION, StringType, false),
      field(DIMENSION_VALUE, StringType, false),
      field(KPI, StringType, false),
      field(VALUE, DoubleType, true),
      field(TARGET, DoubleType, true)});

  public static final String TICKET_ID = "ticket_id";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String REP_ID = "rep_id";
  public static final String TICKET_TYPE = "type";
  public static final String PRIORITY = "priority";
  public static final String DUE_AT = "due_at";
  public static final String DAYS_OVERDUE = "days_overdue";

  /**
   * A ticket open and past its due time at the end of the as_of day. Ids and codes only: the
   * ticket's description is personal data and stays out.
   */
  public static final StructType ESCALATION_SCHEMA = new StructType(new StructField[] {
      field(TICKET_ID, StringType, false),
      field(CUSTOMER_ID, StringType, false),
      field(REP_ID, StringType, true),
      field(TICKET_TYPE, StringType, false),
      field(PRIORITY, StringType, true),
      field(DUE_AT, TimestampType, false),
      field(DAYS_OVERDUE, IntegerType, false)});

  private KpiOutput() {}

  private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable, Metadata.empty());
  }
}

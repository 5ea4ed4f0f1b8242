package org.crmanalytics.models.kpis;

import java.util.List;
import java.util.Set;

/**
 * The KPI ids of the output's kpi column. docs/kpis.md defines each; SalesControllingKpisTest fails
 * when the code produces an id the catalogue does not list, or the catalogue lists one it does not. The ids that sales_targets uses (revenue, visits, new_customers, offers_won) are
 * KPI ids here, so a target meets its actual by name.
 */
public final class KpiIds {
  // sales
  public static final String REVENUE = "revenue";
  public static final String MARGIN = "margin";
  public static final String MARGIN_PERCENT = "margin_percent";
  public static final String NEW_CUSTOMERS = "new_customers";
  public static final String TOP_CUSTOMER_REVENUE_SHARE = "top_customer_revenue_share";
  public static final String REVENUE_GINI = "revenue_gini";
  public static final String ACTIVE_CUSTOMERS = "active_customers";
  public static final String CHURNED_CUSTOMERS = "churned_customers";
  public static final String CHURN_RATE = "churn_rate";

  // offers
  /** Stages of the offers table, in funnel order; lost ends the funnel at any step. */
  public static final List<String> STAGES = List.of("lead", "qualified", "offer", "negotiation", "won", "lost");
  public static final String FUNNEL_COUNT_PREFIX = "funnel_count_";
  public static final String FUNNEL_VALUE_PREFIX = "funnel_value_";
  public static final String CONVERSION_LEAD_QUALIFIED = "conversion_lead_qualified";
  public static final String CONVERSION_QUALIFIED_OFFER = "conversion_qualified_offer";
  public static final String CONVERSION_OFFER_WON = "conversion_offer_won";
  public static final String DAYS_IN_LEAD = "days_in_lead";
  public static final String DAYS_IN_QUALIFIED = "days_in_qualified";
  public static final String DAYS_IN_OFFER = "days_in_offer";
  public static final String OFFERS_WON = "offers_won";
  public static final String OFFERS_LOST = "offers_lost";
  public static final String WON_VALUE = "won_value";
  public static final String OFFER_SUCCESS_RATE = "offer_success_rate";
  public static final String LEAD_QUALIFICATION_DAYS_MEDIAN = "lead_qualification_days_median";
  public static final String LEAD_QUALIFICATION_DAYS_P90 = "lead_qualification_days_p90";
  public static final String OFFER_PROCESSING_DAYS_MEDIAN = "offer_processing_days_median";
  public static final String OFFER_PROCESSING_DAYS_P90 = "offer_processing_days_p90";

  // activities
  public static final String VISITS = "visits";
  public static final String VISITS_PER_REP = "visits_per_rep";

  // tickets
  public static final String COMPLAINTS_OPENED = "complaints_opened";
  public static final String COMPLAINTS_RESOLVED = "complaints_resolved";
  public static final String COMPLAINTS_OPEN = "complaints_open";
  public static final String COMPLAINTS_OVERDUE = "complaints_overdue";
  public static final String COMPLAINT_HANDLING_DAYS_MEDIAN = "complaint_handling_days_median";

  // sales_targets
  /** Achievement of a target: {@code achievement_<kpi>}, in percent. */
  public static final String ACHIEVEMENT_PREFIX = "achievement_";

  /**
   * Counts and sums: a slice without events has the value 0, so a rep with a target and no
   * visits gets visits = 0 (and 0 % achievement) instead of no row. Only these add up over the
   * reps, so only their targets are summed into a target of the whole company (dimension all).
   */
  public static final Set<String> ADDITIVE = Set.of(REVENUE, MARGIN, NEW_CUSTOMERS, OFFERS_WON, OFFERS_LOST,
      WON_VALUE, VISITS, COMPLAINTS_OPENED, COMPLAINTS_RESOLVED);

  private KpiIds() {}

  public static String funnelCount(String stage) {
    return FUNNEL_COUNT_PREFIX + stage;
  }

  public static String funnelValue(String stage) {
    return FUNNEL_VALUE_PREFIX + stage;
  }
}

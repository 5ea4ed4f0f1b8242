package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.crmanalytics.models.kpis.KpiOutput.DIMENSION;
import static org.crmanalytics.models.kpis.KpiOutput.DIMENSION_VALUE;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD_TYPE;
import static org.crmanalytics.models.kpis.KpiSteps.CUSTOMER_DIMENSIONS;
import static org.crmanalytics.models.kpis.KpiSteps.DATE;
import static org.crmanalytics.models.kpis.KpiSteps.KEYS;
import static org.crmanalytics.models.kpis.KpiSteps.byDimension;
import static org.crmanalytics.models.kpis.KpiSteps.dimensions;
import static org.crmanalytics.models.kpis.KpiSteps.monthIndex;
import static org.crmanalytics.models.kpis.KpiSteps.percentOf;
import static org.crmanalytics.models.kpis.KpiSteps.toLong;
import static org.crmanalytics.models.kpis.KpiSteps.withCustomerDimensions;
import static org.crmanalytics.models.kpis.ReportingPeriods.END;
import static org.crmanalytics.models.kpis.ReportingPeriods.START;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.crmanalytics.models.contract.Contract.CampaignMembers;
import org.crmanalytics.models.contract.Contract.Campaigns;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;
import org.crmanalytics.models.kpis.ReportingPeriods.Period;

/** Active and churned customers and the churn rate per period, by slice and by campaign. */
final class ChurnKpis {
  private ChurnKpis() {}

  /**
   * Churn: customers with an order in the {@code churnLookbackMonths} months before a period's
   * start are active at its start; those of them without an order in the period (up to as_of for
   * the running period) are churned. Returns are not orders.
   *
   * <p>Worked from each customer's order months in one pass, without a row per customer and
   * period: for an order month m followed by the customer's next order month m' (none: never), m
   * is the customer's last order before every period start s with m < s <= m', so the customer is
   * active exactly at the starts s in [m + 1, min(m + lookback, m')], and churned in such a period
   * when m' lies after the period's last month. These spells are disjoint per customer, so active
   * and churned customers are counts of spells, grouped per slice and (clipped) spell before they
   * meet the periods.
   */
  static Optional<Dataset<Row>> churn(KpiInputs in, Dataset<Row> orderMonths, Dataset<Row> customers,
      List<Period> reported, Dataset<Row> periods, KpiSettings settings) {
    List<Dimension> dims = dimensions(settings, CUSTOMER_DIMENSIONS);
    boolean byCampaign = settings.dimensions().contains(Dimension.CAMPAIGN) && in.campaignMembers().isPresent();
    if (dims.isEmpty() && !byCampaign) {
      return Optional.empty();
    }
    int firstStart = reported.stream().mapToInt(p -> monthIndex(p.start())).min().orElseThrow();
    int lastStart = reported.stream().mapToInt(p -> monthIndex(p.start())).max().orElseThrow();
    int never = reported.stream().mapToInt(p -> monthIndex(p.end())).max().orElseThrow() + 1;
    Column month = col("_m");
    Column next = lead(month, 1).over(Window.partitionBy(col(Sales.CUSTOMER_ID)).orderBy(month));
    // Spells clipped to the reported starts, so that few distinct spells remain to be counted.
    Dataset<Row> spells = orderMonths.withColumn("_m", monthIndex(col(DATE)))
        .select(col(Sales.CUSTOMER_ID),
            greatest(month.plus(1), lit(firstStart)).as("_from"),
            least(month.plus(settings.churnLookbackMonths()), next, lit(lastStart)).as("_to"), // least skips null
            coalesce(next, lit(never)).as("_next"))
        .filter(col("_from").leq(col("_to")));
    Dataset<Row> windows = broadcast(periods.select(col(PERIOD_TYPE), col(PERIOD),
        monthIndex(col(START)).as("_s"), monthIndex(col(END)).as("_e")));
    Map<String, Column> kpis = new LinkedHashMap<>();
    kpis.put(KpiIds.ACTIVE_CUSTOMERS, col("_active_n"));
    kpis.put(KpiIds.CHURNED_CUSTOMERS, col("_churned_n"));
    kpis.put(KpiIds.CHURN_RATE, percentOf(col("_churned_n"), col("_active_n")));
    Dataset<Row> out = null;
    if (!dims.isEmpty()) {
      Dataset<Row> bySlice = byDimension(withCustomerDimensions(
          spells.join(customers, new String[] {Sales.CUSTOMER_ID}, "left")), dims)
          .groupBy(col(DIMENSION), col(DIMENSION_VALUE), col("_from"), col("_to"), col("_next"))
          .agg(count(lit(1)).as("_spells"));
      out = toLong(churnCounts(bySlice, windows), kpis);
    }
    if (byCampaign) {
      // A customer counts for a campaign from the first period that starts after he was targeted
      // (a month start s with s > the targeted day: s after the targeted month);
      // a membership without any date counts in every period.
      Dataset<Row> members = in.campaignMembers().get().select(
          col(CampaignMembers.CAMPAIGN_ID).as("_campaign"),
          col(CampaignMembers.CUSTOMER_ID).as("_member"),
          col(CampaignMembers.ADDED_AT).as("_added"));
      Column targeted = col("_added");
      if (in.campaigns().isPresent()) {
        members = members.join(in.campaigns().get().select(col(Campaigns.CAMPAIGN_ID).as("_campaign"),
            col(Campaigns.START_DATE).as("_campaign_start")), new String[] {"_campaign"}, "left");
        targeted = coalesce(col("_added"), col("_campaign_start"));
      }
      members = members.withColumn("_targeted", targeted);
      Dataset<Row> byCampaignSpells = spells
          .join(members, col(Sales.CUSTOMER_ID).equalTo(col("_member")))
          // greatest skips null: an undated membership leaves the spell as it is.
          .withColumn("_from", greatest(col("_from"), monthIndex(col("_targeted")).plus(1)))
          .filter(col("_from").leq(col("_to")))
          .groupBy(lit(Dimension.CAMPAIGN.id()).as(DIMENSION), col("_campaign").as(DIMENSION_VALUE), col("_from"),
              col("_to"), col("_next"))
          .agg(count(lit(1)).as("_spells"));
      Dataset<Row> campaignKpis = toLong(churnCounts(byCampaignSpells, windows), kpis);
      out = out == null ? campaignKpis : out.unionByName(campaignKpis);
    }
    return Optional.of(out);
  }

  /** Active customers: the spells that cover the period's start; churned: of those, no order up to its end. */
  private static Dataset<Row> churnCounts(Dataset<Row> spellCounts, Dataset<Row> windows) {
    Column spellCount = col("_spells");
    return spellCounts.join(windows, col("_s").between(col("_from"), col("_to")))
        .groupBy(KEYS[0], KEYS[1], KEYS[2], KEYS[3])
        .agg(sum(spellCount).as("_active_n"), sum(when(col("_next").gt(col("_e")), spellCount).otherwise(0L)).as("_churned_n"));
  }

}

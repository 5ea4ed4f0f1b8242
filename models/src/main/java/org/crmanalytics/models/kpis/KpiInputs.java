package org.crmanalytics.models.kpis;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.contract.Contract;

/**
 * The silver tables the KPIs are computed from, in the contract's columns. customers and sales
 * are required; an absent optional table yields no rows for the KPIs drawn from it.
 */
public record KpiInputs(
    Dataset<Row> customers,
    Dataset<Row> sales,
    Optional<Dataset<Row>> products,
    Optional<Dataset<Row>> activities,
    Optional<Dataset<Row>> offers,
    Optional<Dataset<Row>> tickets,
    Optional<Dataset<Row>> campaigns,
    Optional<Dataset<Row>> campaignMembers,
    Optional<Dataset<Row>> salesTargets) {

  /** The tables the KPI stage reads, by contract name, in contract order. */
  public static final List<String> TABLES = List.of(
      Contract.Customers.NAME, Contract.Products.NAME, Contract.Sales.NAME, Contract.Activities.NAME,
      Contract.Offers.NAME, Contract.Tickets.NAME, Contract.Campaigns.NAME, Contract.CampaignMembers.NAME,
      Contract.SalesTargets.NAME);

  public KpiInputs {
    if (customers == null || sales == null) {
      throw new IllegalArgumentException("customers and sales are required");
    }
  }

  /** From tables by contract name; tables that are not in the map are absent. */
  public static KpiInputs of(Map<String, Dataset<Row>> tables) {
    return new KpiInputs(
        tables.get(Contract.Customers.NAME),
        tables.get(Contract.Sales.NAME),
        Optional.ofNullable(tables.get(Contract.Products.NAME)),
        Optional.ofNullable(tables.get(Contract.Activities.NAME)),
        Optional.ofNullable(tables.get(Contract.Offers.NAME)),
        Optional.ofNullable(tables.get(Contract.Tickets.NAME)),
        Optional.ofNullable(tables.get(Contract.Campaigns.NAME)),
        Optional.ofNullable(tables.get(Contract.CampaignMembers.NAME)),
        Optional.ofNullable(tables.get(Contract.SalesTargets.NAME)));
  }
}

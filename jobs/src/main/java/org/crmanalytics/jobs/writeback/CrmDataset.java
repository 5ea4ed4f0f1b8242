package org.crmanalytics.jobs.writeback;

import java.util.List;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract.Invoices;
import org.crmanalytics.models.crosssell.CrossSell;
import org.crmanalytics.models.crosssell.CrossSellOutput;
import org.crmanalytics.models.crosssell.ItemPurchases;
import org.crmanalytics.models.crosssell.RankingMetrics;
import org.crmanalytics.models.paymentrisk.OpenInvoices;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * A pipeline output the write-back sends to a CRM table: its name in messages, its schema (the
 * CRM column types of a created table), the columns that key the table, and the config section
 * that maps it.
 */
public enum CrmDataset {
  CUSTOMER_SCORES("customer_scores", "scores", CustomerScores.SCHEMA, List.of(CustomerScores.CUSTOMER_ID), "writeback",
      "the CRM's account id column (customer_id: account_id)", List.of()),
  OPEN_INVOICES("payment_risk/invoices", "open invoices", OpenInvoices.SCHEMA, List.of(Invoices.INVOICE_ID),
      "writeback.invoices", "the CRM's invoice number column (invoice_id: invoice_no)", List.of()),
  /**
   * The top-k list per customer, keyed by customer and rank: a customer's list of three after one of
   * five leaves ranks 4 and 5 to be deleted. A created table gets what a sales rep reads; the
   * evidence columns (peer group, penetration, rule figures) only when mapped.
   */
  CROSS_SELL_RECOMMENDATIONS("cross_sell/recommendations", "cross-sell recommendations",
      CrossSellOutput.SCHEMA, List.of(CustomerScores.CUSTOMER_ID, RankingMetrics.RANK),
      "writeback.cross_sell", "the CRM's account id and rank columns (customer_id: account_id, rank: rank_no)",
      List.of(CustomerScores.CUSTOMER_ID, RankingMetrics.RANK, ItemPurchases.ITEM, CrossSellOutput.LEVEL,
          CrossSell.EURO_POTENTIAL, CrossSell.PROBABILITY, CrossSellOutput.METHOD, CrossSellOutput.REASON_EN,
          CrossSellOutput.REASON_DE, CrossSellOutput.AS_OF));

  private final String title;
  private final String noun;
  private final StructType schema;
  private final List<String> keys;
  private final String section;
  private final String keyTarget;
  private final List<String> createdColumns;

  CrmDataset(String title, String noun, StructType schema, List<String> keys, String section, String keyTarget,
      List<String> createdColumns) {
    this.title = title;
    this.noun = noun;
    this.schema = schema;
    this.keys = keys;
    this.section = section;
    this.keyTarget = keyTarget;
    this.createdColumns = createdColumns.isEmpty() ? List.of(schema.fieldNames()) : createdColumns;
  }

  public String title() {
    return title;
  }

  /** What the rows are, in a sentence: "the CRM already holds scores as of ...". */
  public String noun() {
    return noun;
  }

  public StructType schema() {
    return schema;
  }

  /** The columns whose values identify a row in the CRM table, in the order of its primary key. */
  public List<String> keys() {
    return keys;
  }

  /** The key columns as a message names them: {@code customer_id and rank}. */
  public String keysText() {
    return String.join(" and ", keys);
  }

  /** Where the key goes, for the mapping's messages: "the CRM's invoice number column (invoice_id: invoice_no)". */
  public String keyTarget() {
    return keyTarget;
  }

  /** The config section that maps this dataset, as the user types it ({@code writeback.invoices}). */
  public String section() {
    return section;
  }

  /** The columns of a table the pipeline creates without a mapping, each under its own name. */
  public List<String> createdColumns() {
    return createdColumns;
  }

  /**
   * customer_scores carries its run_id and as_of in every row, and they are checked; the invoice and
   * recommendation lists carry no run id and are written under the run id of the scores written with them.
   */
  public boolean carriesRun() {
    return this == CUSTOMER_SCORES;
  }

  /**
   * An empty list is a real state (every invoice paid, no customer with potential) and empties the
   * CRM table; empty scores are a failed upstream run.
   */
  public boolean mayBeEmpty() {
    return this != CUSTOMER_SCORES;
  }
}

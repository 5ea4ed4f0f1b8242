package org.crmanalytics.jobs.writeback;

import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract.Invoices;
import org.crmanalytics.models.paymentrisk.OpenInvoices;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * A pipeline output the write-back sends to a CRM table: its name in messages, its schema (the
 * CRM column types of a created table), the column that keys the table, and the config section
 * that maps it.
 */
public enum CrmDataset {
  CUSTOMER_SCORES("customer_scores", "scores", CustomerScores.SCHEMA, CustomerScores.CUSTOMER_ID, "writeback"),
  OPEN_INVOICES("payment_risk/invoices", "open invoices", OpenInvoices.SCHEMA, Invoices.INVOICE_ID,
      "writeback.invoices");

  private final String title;
  private final String noun;
  private final StructType schema;
  private final String key;
  private final String section;

  CrmDataset(String title, String noun, StructType schema, String key, String section) {
    this.title = title;
    this.noun = noun;
    this.schema = schema;
    this.key = key;
    this.section = section;
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

  /** The column whose value identifies a row in the CRM table. */
  public String key() {
    return key;
  }

  /** The config section that maps this dataset, as the user types it ({@code writeback.invoices}). */
  public String section() {
    return section;
  }

  /**
   * customer_scores carries its run_id and as_of in every row, and they are checked; the invoice list
   * carries neither, and is written under the run id of the scores written with it.
   */
  public boolean carriesRun() {
    return this == CUSTOMER_SCORES;
  }

  /**
   * An empty invoice list is a real state (every invoice paid) and empties the CRM table; empty scores
   * are a failed upstream run.
   */
  public boolean mayBeEmpty() {
    return this == OPEN_INVOICES;
  }
}

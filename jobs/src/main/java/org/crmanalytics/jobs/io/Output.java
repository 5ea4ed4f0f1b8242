package org.crmanalytics.jobs.io;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * The output catalogue: every dataset and file the pipeline writes, where it lives under the output
 * root, which stage writes it, and the golden schema it keeps (models/src/test/resources/golden/schemas,
 * where one is pinned). Stages find each other's outputs here, never in each other's classes.
 * Patterns name the run's date {@code {as_of}} and, for the per-table outputs of ingest, {@code {table}};
 * the scorecard, one page per language, names {@code {language}}.
 */
public enum Output {
  SILVER("silver/{table}/as_of={as_of}", "ingest", "the silver table", "the contract table of the same name"),
  QUARANTINE("quarantine/{table}/as_of={as_of}", "ingest", "the quarantine", ""),
  SNAPSHOT("snapshot/as_of={as_of}", "features", "the customer snapshot", "customer_snapshot"),
  ABC_CUSTOMERS("abc/customers/as_of={as_of}", "abc", "the A-E classes", ""),
  ABC_MIGRATION("abc/migration/as_of={as_of}", "abc", "the class migration", ""),
  KPI_VALUES("kpis/values/as_of={as_of}", "kpis", "the KPIs", ""),
  KPI_ESCALATIONS("kpis/escalations/as_of={as_of}", "kpis", "the escalation list", ""),
  CLV_CUSTOMERS("clv/customers/as_of={as_of}", "clv", "the CLV output", "clv_customers"),
  CHURN_CUSTOMERS("churn/customers/as_of={as_of}", "churn", "the churn scores", ""),
  PAYMENT_RISK_CUSTOMERS("payment_risk/customers/as_of={as_of}", "payment_risk", "the payment-risk scores", ""),
  PAYMENT_RISK_INVOICES("payment_risk/invoices/as_of={as_of}", "payment_risk", "the open invoices by expected loss", ""),
  CROSS_SELL_RECOMMENDATIONS("cross_sell/recommendations/as_of={as_of}", "cross_sell", "the cross-sell recommendations", ""),
  CROSS_SELL_WHITE_SPACE("cross_sell/white_space/as_of={as_of}", "cross_sell", "the white-space table", ""),
  CUSTOMER_SCORES("scores/customer_scores/as_of={as_of}", "scores", "customer_scores", "customer_scores"),
  EARLY_WARNING("scores/early_warning/as_of={as_of}", "scores", "the early-warning list", ""),
  SCORES_CSV("exports/customer_scores-{as_of}.csv", "writeback", "the CSV export", ""),
  SCORES_PARQUET("exports/customer_scores-{as_of}.parquet", "writeback", "the Parquet export", ""),
  SCORECARD("reports/scorecard-{as_of}-{language}.html", "scorecard", "the scorecard", "");

  private final String pattern;
  private final String producer;
  private final String label;
  private final String schema;

  Output(String pattern, String producer, String label, String schema) {
    this.pattern = pattern;
    this.producer = producer;
    this.label = label;
    this.schema = schema;
  }

  /** What a person calls it, in messages. */
  public String label() {
    return label;
  }

  /** The path pattern relative to the output root. */
  public String pattern() {
    return pattern;
  }

  /** The stage that writes it. */
  public String producer() {
    return producer;
  }

  /** The golden schema it keeps, empty where none is pinned. */
  public String schema() {
    return schema;
  }

  public boolean perTable() {
    return pattern.contains("{table}");
  }

  /** One per table or per language: its path needs that key besides the date. */
  public boolean keyed() {
    return perTable() || pattern.contains("{language}");
  }

  /** Relative to the output root, for the run's date. */
  public String at(LocalDate asOf) {
    if (keyed()) {
      throw new IllegalArgumentException(this + " is one per table or language: at(key, asOf)");
    }
    return pattern.replace("{as_of}", asOf.toString());
  }

  /** Relative to the output root, for one contract table (or language) and the run's date. */
  public String at(String key, LocalDate asOf) {
    if (!keyed()) {
      throw new IllegalArgumentException(this + " is not per table or language: at(asOf)");
    }
    return pattern.replace("{table}", key).replace("{language}", key).replace("{as_of}", asOf.toString());
  }

  /** The full path under the layout's root for its as_of. */
  public String path(OutputLayout layout) {
    return layout.root() + "/" + at(layout.asOf());
  }

  /** The full path of one table's (or language's) output under the layout's root for its as_of. */
  public String path(OutputLayout layout, String key) {
    return layout.root() + "/" + at(key, layout.asOf());
  }

  /** The folder that holds this output of every as_of (one {@code as_of=} folder each). */
  public String history(String root) {
    int at = pattern.indexOf("/as_of=");
    if (at < 0 || keyed()) {
      throw new IllegalArgumentException(this + " is not partitioned by as_of alone");
    }
    return root + "/" + pattern.substring(0, at);
  }

  /** The run manifests' folder ({@code runs/<run_id>.json}), relative to the output root. */
  public static final String RUNS = "runs";

  /** A model's store, relative to the output root: one folder per fitted version. */
  public static String modelStore(String model) {
    return "models/" + model;
  }

  public static String modelVersion(String model, String version) {
    return modelStore(model) + "/" + version;
  }

  /** The promoted version's pointer of a model that is trained and promoted (churn). */
  public static String promotedFile(String model) {
    return modelStore(model) + "/promoted.json";
  }

  public static String evaluationFile(String model, String version) {
    return modelVersion(model, version) + "/evaluation.json";
  }

  /** What a stage writes. */
  public static List<Output> producedBy(String stage) {
    return Arrays.stream(values()).filter(o -> o.producer.equals(stage)).toList();
  }
}

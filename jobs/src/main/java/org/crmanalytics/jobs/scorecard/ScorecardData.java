package org.crmanalytics.jobs.scorecard;

import org.crmanalytics.models.abc.RevenueConcentration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.crmanalytics.jobs.io.Output;

/**
 * Everything one scorecard shows, already reduced to small aggregates (at most a few hundred
 * values): built by {@link ScorecardReader} from a run's outputs, rendered by {@link ScorecardPage}.
 * A section whose input is absent is {@link Section#absent} and names the path it looked for.
 */
public record ScorecardData(
    LocalDate asOf,
    Section<Kpis> kpis,
    Section<AbcDistribution> abc,
    Section<Migration> migration,
    Section<Churn> churn,
    Section<DataQuality> dataQuality,
    Section<ModelQuality> modelQuality,
    Section<PaymentRisk> paymentRisk,
    Section<CrossSell> crossSell,
    List<Absence> absences) {

  /** A page without cross-sell potential. */
  public ScorecardData(LocalDate asOf, Section<Kpis> kpis, Section<AbcDistribution> abc, Section<Migration> migration,
      Section<Churn> churn, Section<DataQuality> dataQuality, Section<ModelQuality> modelQuality,
      Section<PaymentRisk> paymentRisk, List<Absence> absences) {
    this(asOf, kpis, abc, migration, churn, dataQuality, modelQuality, paymentRisk,
        Section.absent(Output.CROSS_SELL_RECOMMENDATIONS.at(asOf)), absences);
  }

  /** A page without payment risk and without the list of what is missing. */
  public ScorecardData(LocalDate asOf, Section<Kpis> kpis, Section<AbcDistribution> abc, Section<Migration> migration,
      Section<Churn> churn, Section<DataQuality> dataQuality, Section<ModelQuality> modelQuality) {
    this(asOf, kpis, abc, migration, churn, dataQuality, modelQuality,
        Section.absent(Output.PAYMENT_RISK_CUSTOMERS.at(asOf)), List.of());
  }

  /**
   * A part of the pipeline that delivered nothing or less for this as_of, from the run manifests:
   * a stage that failed, was withheld or was skipped ({@code kind} is that status, {@code reason}
   * the manifest's), or a flag of a stage that succeeded ({@code kind} "flag", {@code reason} its
   * message: a fallback, a score left out; {@code code} the flag's stable code, such as
   * {@code no_model}, null for a status).
   */
  public record Absence(String stage, String kind, String reason, String code) {
    /** A stage's status, or a flag whose code does not matter to the reader. */
    public Absence(String stage, String kind, String reason) {
      this(stage, kind, reason, null);
    }
  }

  /** A section's content, or the input (relative to the output root) that was not there. */
  public record Section<T>(Optional<T> content, String missingInput) {
    public static <T> Section<T> present(T content) {
      return new Section<>(Optional.of(content), null);
    }

    public static <T> Section<T> absent(String missingInput) {
      return new Section<>(Optional.empty(), missingInput);
    }

    public <R> Section<R> map(Function<T, R> f) {
      return content.isPresent() ? present(f.apply(content.get())) : absent(missingInput);
    }
  }

  /** KPI values of the whole company (dimension all) for one period. */
  public record Kpis(String periodType, String period, boolean partial, List<KpiTile> tiles,
      List<FunnelStage> funnel, Map<String, Double> conversions) {}

  /** One KPI with its target and achievement (percent) where sales_targets has one. */
  public record KpiTile(String kpi, double value, Double target, Double achievement) {}

  /** Offers of the period's cohort whose stage at as_of is {@code stage}. */
  public record FunnelStage(String stage, long offers, double value) {}

  /** Customers and revenue per A–E class, and how concentrated revenue is. */
  public record AbcDistribution(List<ClassShare> classes, Optional<RevenueConcentration> concentration) {
    public long customers() {
      return classes.stream().mapToLong(ClassShare::customers).sum();
    }

    public double revenue() {
      return classes.stream().mapToDouble(ClassShare::revenue).sum();
    }
  }

  /** {@code abcClass} null: customers without a class. */
  public record ClassShare(String abcClass, long customers, double revenue) {}


  /** Customers per (previous class, class); a null class means "not in that run". */
  public record Migration(LocalDate previousAsOf, List<MigrationCell> cells) {}

  public record MigrationCell(String previousClass, String abcClass, long customers) {}

  /** Churn risk of the scored customers. */
  /** @param oneTimeBuyers customers whose P(alive) is BG/NBD's 1 by construction (customer_scores.p_alive_caveat) */
  public record Churn(long customers, long scored, long oneTimeBuyers, List<RiskBin> histogram, List<BandCount> bands,
      List<AtRisk> topAtRisk, List<String> modelVersions) {}

  /** Customers whose churn probability lies in [lower, upper) (the last bin includes 1). */
  public record RiskBin(double lower, double upper, long customers) {}

  /** {@code band} null: customers without a band. */
  public record BandCount(String band, long customers) {}

  /** One customer of the value-at-risk list; reasons in the page's language. */
  public record AtRisk(String customerId, String name, String salesRep, String abcClass,
      Double churnProbability, String churnBand, Double clv, Double valueAtRisk, String reasons) {}

  /** Row accounting of the ingest run that produced the silver tables of this as_of. */
  public record DataQuality(String runId, String startedAt, List<TableRows> tables) {}

  /** read = accepted + quarantined + afterAsOf (rows dated after as_of, left for a later run). */
  public record TableRows(String table, long read, long accepted, long quarantined, long afterAsOf) {}

  /** The churn model's evaluation: metrics by name (roc_auc, pr_auc, ...) and per baseline. */
  public record ModelQuality(String model, String version, String grade, Boolean promoted,
      String promotedVersion, Map<String, Double> metrics, Map<String, Map<String, Double>> baselines) {

    /** The baseline with the highest roc_auc, if any has one. */
    public Optional<Map.Entry<String, Double>> bestBaselineAuc() {
      return baselines.entrySet().stream()
          .filter(e -> e.getValue().get("roc_auc") != null)
          .map(e -> Map.entry(e.getKey(), e.getValue().get("roc_auc")))
          .max(Map.Entry.comparingByValue());
    }
  }

  /**
   * The payment-default early warning of this as_of: totals, open receivables by age, expected
   * loss by region and by sales rep, the top customers by expected loss, and the payment model.
   *
   * @param scored customers with a default probability (none without a promoted model)
   * @param model the evaluation of the model that scored (else the promoted one), or where it was looked for
   * @param noModelReason why no model scored this as_of (the manifest's flag payment_risk.no_model);
   *     null when a model scored or the manifest does not say
   */
  public record PaymentRisk(long customers, long scored, long inDefault, double exposure, double expectedLoss,
      Ageing ageing, List<LossGroup> byRegion, List<LossGroup> byRep, List<PaymentAtRisk> top,
      List<String> modelVersions, Section<ModelQuality> model, String noModelReason) {

    /** The same figures with the model part, which the reader adds from the model store and the manifests. */
    public PaymentRisk withModel(Section<ModelQuality> newModel, String newNoModelReason) {
      return new PaymentRisk(customers, scored, inDefault, exposure, expectedLoss, ageing, byRegion, byRep, top,
          modelVersions, newModel, newNoModelReason);
    }
  }

  /** Open receivables at as_of: not yet due, and overdue by days past due. */
  public record Ageing(double notDue, double overdue1To30, double overdue31To60, double overdue61To90,
      double overdueOver90) {
    public double open() {
      return notDue + overdue1To30 + overdue31To60 + overdue61To90 + overdueOver90;
    }
  }

  /**
   * Customers, exposure and expected loss of one region or sales rep; {@code name} null: without
   * one. {@code others} > 0: the row sums that many groups beyond the largest shown.
   */
  public record LossGroup(String name, long customers, double exposure, double expectedLoss, long others) {}

  /**
   * Customers and the sums of some amounts (in the order the reader asked for them) of one region
   * or sales rep; {@code name} null: without one. {@code others} > 0: the row sums that many groups
   * beyond the largest shown.
   */
  public record GroupTotals(String name, long customers, List<Double> sums, long others) {}

  /**
   * The cross-sell potential of this as_of (cross_sell/recommendations and white_space): totals,
   * the white-space heat map, € potential by region and by sales rep, the biggest opportunities
   * and the evaluation of the ranking.
   *
   * @param customers customers with at least one recommendation
   * @param potential the sum of euro_potential, € per year
   * @param published the rankings the recommendations name in their method column (one, normally)
   * @param level the level recommended (product_group, product_id), null when the output has none
   * @param whiteSpace the heat map, or where the white-space table was looked for
   * @param byRegion € potential per region: sums = [euro_potential]
   * @param grade the promoted evaluation, or where it was looked for
   */
  public record CrossSell(long customers, long recommendations, double potential, List<String> published, String level,
      Section<WhiteSpaceMap> whiteSpace, List<GroupTotals> byRegion, List<GroupTotals> byRep,
      List<Opportunity> top, Section<CrossSellGrade> grade) {

    public CrossSell withGrade(Section<CrossSellGrade> newGrade) {
      return new CrossSell(customers, recommendations, potential, published, level, whiteSpace, byRegion, byRep, top,
          newGrade);
    }
  }

  /**
   * Penetration (buyers ÷ peers) per peer group of one level (industry; all customers when no
   * customer has an industry) and item, for the largest groups and the most bought items.
   * A group × item without a cell has no buyer: penetration 0.
   *
   * @param groups row labels, most customers first
   * @param items column labels, highest penetration among all customers first
   * @param groupsInTotal groups of the level in the table; more than shown when {@code groups} was cut
   */
  public record WhiteSpaceMap(String peerLevel, List<String> groups, List<String> items, List<WhiteSpaceCell> cells,
      long groupsInTotal, long itemsInTotal) {}

  public record WhiteSpaceCell(String group, String item, long peers, long buyers, double penetration) {}

  /** One recommendation of the biggest-opportunities list; the reason in the page's language. */
  public record Opportunity(String customerId, String name, int rank, String item, double euroPotential,
      Double probability, String evidence, String reason) {}

  /**
   * The cross-sell evaluation promoted by {@code train cross_sell} (models/cross_sell/&lt;version&gt;/evaluation.json).
   *
   * @param published the ranking it chose; {@code level} the level it was made for
   * @param methods the test period's figures per method and baseline (hit_rate, precision_at_k,
   *     recall_at_k, ndcg_at_k, realised_share, customers), empty when there was no test period
   * @param leftOut what the evaluation left out and why (its left_out list)
   */
  public record CrossSellGrade(String version, String published, String level, int k, String recommendedAt,
      String observedUntil, Map<String, Map<String, Double>> methods, String why, List<String> leftOut) {}

  /** One customer of the expected-loss list; action reason and reasons in the page's language. */
  public record PaymentAtRisk(String customerId, String name, String band, Double probability, Double exposure,
      Double expectedLoss, String action, String actionReason, String reasons) {}
}

package org.crmanalytics.jobs.scorecard;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.scorecard.ScorecardData.AbcDistribution;
import org.crmanalytics.jobs.scorecard.ScorecardData.Absence;
import org.crmanalytics.jobs.scorecard.ScorecardData.Ageing;
import org.crmanalytics.jobs.scorecard.ScorecardData.CrossSell;
import org.crmanalytics.jobs.scorecard.ScorecardData.CrossSellGrade;
import org.crmanalytics.jobs.scorecard.ScorecardData.GroupTotals;
import org.crmanalytics.jobs.scorecard.ScorecardData.Opportunity;
import org.crmanalytics.jobs.scorecard.ScorecardData.WhiteSpaceCell;
import org.crmanalytics.jobs.scorecard.ScorecardData.WhiteSpaceMap;
import org.crmanalytics.jobs.scorecard.ScorecardData.LossGroup;
import org.crmanalytics.jobs.scorecard.ScorecardData.PaymentAtRisk;
import org.crmanalytics.jobs.scorecard.ScorecardData.PaymentRisk;
import org.crmanalytics.jobs.scorecard.ScorecardData.AtRisk;
import org.crmanalytics.jobs.scorecard.ScorecardData.BandCount;
import org.crmanalytics.jobs.scorecard.ScorecardData.Churn;
import org.crmanalytics.jobs.scorecard.ScorecardData.ClassShare;
import org.crmanalytics.jobs.scorecard.ScorecardData.DataQuality;
import org.crmanalytics.jobs.scorecard.ScorecardData.FunnelStage;
import org.crmanalytics.jobs.scorecard.ScorecardData.KpiTile;
import org.crmanalytics.jobs.scorecard.ScorecardData.Kpis;
import org.crmanalytics.jobs.scorecard.ScorecardData.Migration;
import org.crmanalytics.jobs.scorecard.ScorecardData.MigrationCell;
import org.crmanalytics.jobs.scorecard.ScorecardData.ModelQuality;
import org.crmanalytics.jobs.scorecard.ScorecardData.RiskBin;
import org.crmanalytics.jobs.scorecard.ScorecardData.Section;
import org.crmanalytics.jobs.scorecard.ScorecardData.TableRows;
import org.crmanalytics.jobs.scorecard.ScorecardSettings.Language;
import org.crmanalytics.jobs.scorecard.ScorecardSettings.Period;
import org.apache.spark.sql.functions;
import org.crmanalytics.models.abc.AbcOutput;
import org.crmanalytics.models.crosssell.CrossSellOutput;
import org.crmanalytics.models.crosssell.ItemPurchases;
import org.crmanalytics.models.crosssell.PeerGroups;
import org.crmanalytics.models.crosssell.WhiteSpace;
import org.crmanalytics.models.abc.RevenueConcentration;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.kpis.KpiIds;
import org.crmanalytics.models.kpis.KpiOutput;
import org.crmanalytics.models.payments.PaymentDefaultLabels;
import org.crmanalytics.models.payments.Receivables;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * Reads a run's outputs for one as_of and reduces each to the small aggregates of
 * {@link ScorecardData}. Spark does every reduction; what reaches the driver is bounded by the
 * KPI catalogue, the classes, {@value #LORENZ_POINTS} curve points, {@value #RISK_BINS} bins and
 * the configured top list, never by the number of customers.
 */
public final class ScorecardReader {
  /** The KPIs shown as tiles, in this order (each only when the kpis output has it). */
  public static final List<String> TILE_KPIS = List.of(KpiIds.REVENUE, KpiIds.MARGIN_PERCENT, KpiIds.NEW_CUSTOMERS,
      KpiIds.ACTIVE_CUSTOMERS, KpiIds.CHURN_RATE, KpiIds.OFFERS_WON, KpiIds.WON_VALUE, KpiIds.OFFER_SUCCESS_RATE,
      KpiIds.VISITS, KpiIds.COMPLAINTS_OPEN);
  public static final List<String> CONVERSIONS = List.of(KpiIds.CONVERSION_LEAD_QUALIFIED,
      KpiIds.CONVERSION_QUALIFIED_OFFER, KpiIds.CONVERSION_OFFER_WON);
  public static final int LORENZ_POINTS = 100;
  public static final int RISK_BINS = 20;
  public static final String CHURN_MODEL = "churn";
  /** The payment-default model's store and the stage that flags its absence: both named payment_risk. */
  public static final String PAYMENT_MODEL = Output.PAYMENT_RISK_CUSTOMERS.producer();
  /** The manifest flag of the payment_risk stage when no model scored: its message says why. */
  public static final String NO_MODEL_FLAG = "no_model";
  /** Regions and sales reps shown by expected loss (or € potential); the rest are summed in one row. */
  public static final int LOSS_GROUPS = 15;
  /** The cross-sell model's store and the stage that publishes the recommendations: both named cross_sell. */
  public static final String CROSS_SELL_MODEL = Output.CROSS_SELL_RECOMMENDATIONS.producer();
  /** Rows (peer groups) and columns (items) of the white-space heat map at most: the largest groups, the most bought items. */
  public static final int HEAT_MAP_GROUPS = 20;
  public static final int HEAT_MAP_ITEMS = 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A model version names a folder: no separators, no "..". */
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final SparkSession spark;
  private final String root;
  private final LocalDate asOf;
  private final ScorecardSettings settings;
  private final FileSystem fs;

  public ScorecardReader(SparkSession spark, String root, LocalDate asOf, ScorecardSettings settings) {
    this.spark = spark;
    this.root = root;
    this.asOf = asOf;
    this.settings = settings;
    try {
      this.fs = new Path(root).getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the output root " + root, e);
    }
  }

  // ---------------------------------------------------------------- relative input paths

  public static final String RUNS_FOLDER = Output.RUNS;

  /**
   * Reads every section.
   *
   * @param currentManifest the manifest of the run in progress as JSON: when that run ingested
   *     this as_of, its row counts are the ones the silver tables came from
   */
  public ScorecardData read(Optional<String> currentManifest) {
    Section<Churn> churn = parquet(Output.CUSTOMER_SCORES.at(asOf)).map(this::churn);
    List<Absence> absences = absences(currentManifest);
    return new ScorecardData(asOf,
        parquet(Output.KPI_VALUES.at(asOf)).map(v -> kpis(v, asOf, settings.period())),
        parquet(Output.ABC_CUSTOMERS.at(asOf)).map(ScorecardReader::abcDistribution),
        parquet(Output.ABC_MIGRATION.at(asOf)).map(ScorecardReader::migration),
        churn,
        dataQuality(currentManifest),
        modelQuality(CHURN_MODEL, Output.CUSTOMER_SCORES.at(asOf) + ": " + CustomerScores.CHURN_MODEL_VERSION,
            churn.content().map(Churn::modelVersions).orElse(List.of())),
        parquet(Output.PAYMENT_RISK_CUSTOMERS.at(asOf)).map(customers -> paymentRisk(customers, absences)),
        parquet(Output.CROSS_SELL_RECOMMENDATIONS.at(asOf)).map(this::crossSell),
        absences);
  }

  private Section<Dataset<Row>> parquet(String relative) {
    String path = root + "/" + relative;
    return exists(path) ? Section.present(spark.read().parquet(path)) : Section.absent(relative);
  }

  private boolean exists(String path) {
    try {
      return fs.exists(new Path(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path, e);
    }
  }

  // ---------------------------------------------------------------- KPIs

  /** The whole company's KPI values of the period of {@code period} type that contains as_of. */
  public static Kpis kpis(Dataset<Row> values, LocalDate asOf, Period period) {
    String label = period.label(asOf);
    // One row per KPI id of the catalogue at most: bounded, whatever the company's size.
    List<Row> rows = values
        .filter(col(KpiOutput.DIMENSION).equalTo(KpiOutput.ALL_VALUE)
            .and(col(KpiOutput.PERIOD_TYPE).equalTo(period.id()))
            .and(col(KpiOutput.PERIOD).equalTo(label)))
        .select(KpiOutput.KPI, KpiOutput.VALUE, KpiOutput.TARGET, KpiOutput.PARTIAL)
        .collectAsList();
    Map<String, Row> byKpi = new HashMap<>();
    boolean partial = false;
    for (Row r : rows) {
      byKpi.put(r.getString(0), r);
      partial |= !r.isNullAt(3) && r.getBoolean(3);
    }
    List<KpiTile> tiles = new ArrayList<>();
    for (String kpi : TILE_KPIS) {
      Row r = byKpi.get(kpi);
      if (r == null || r.isNullAt(1)) {
        continue;
      }
      Row achievement = byKpi.get(KpiIds.ACHIEVEMENT_PREFIX + kpi);
      tiles.add(new KpiTile(kpi, r.getDouble(1), r.isNullAt(2) ? null : r.getDouble(2),
          achievement == null || achievement.isNullAt(1) ? null : achievement.getDouble(1)));
    }
    List<FunnelStage> funnel = new ArrayList<>();
    for (String stage : KpiIds.STAGES) {
      Row n = byKpi.get(KpiIds.funnelCount(stage));
      Row v = byKpi.get(KpiIds.funnelValue(stage));
      if (n != null && !n.isNullAt(1)) {
        funnel.add(new FunnelStage(stage, Math.round(n.getDouble(1)), v == null || v.isNullAt(1) ? 0 : v.getDouble(1)));
      }
    }
    Map<String, Double> conversions = new LinkedHashMap<>();
    for (String id : CONVERSIONS) {
      Row r = byKpi.get(id);
      if (r != null && !r.isNullAt(1)) {
        conversions.put(id, r.getDouble(1));
      }
    }
    return new Kpis(period.id(), label, partial, List.copyOf(tiles), List.copyOf(funnel), conversions);
  }

  // ---------------------------------------------------------------- A–E

  public static AbcDistribution abcDistribution(Dataset<Row> customers) {
    List<ClassShare> classes = new ArrayList<>();
    // One row per class: five and customers without a class at most.
    for (Row r : customers.groupBy(col(AbcOutput.Customers.CLASS))
        .agg(count(lit(1)), sum(col(AbcOutput.Customers.REVENUE).cast("double")))
        .collectAsList()) {
      classes.add(new ClassShare(r.getString(0), r.getLong(1), r.isNullAt(2) ? 0 : r.getDouble(2)));
    }
    classes.sort(Comparator.comparing(ClassShare::abcClass, Comparator.nullsLast(Comparator.naturalOrder())));
    return new AbcDistribution(List.copyOf(classes), RevenueConcentration.of(customers, LORENZ_POINTS));
  }


  public static Migration migration(Dataset<Row> migration) {
    // One row per (previous class, class): 36 at most.
    List<Row> rows = migration.select(AbcOutput.Migration.PREVIOUS_AS_OF, AbcOutput.Migration.PREVIOUS_CLASS,
        AbcOutput.Migration.CLASS, AbcOutput.Migration.CUSTOMERS).collectAsList();
    LocalDate previous = null;
    List<MigrationCell> cells = new ArrayList<>();
    for (Row r : rows) {
      if (!r.isNullAt(0)) {
        previous = r.getDate(0).toLocalDate();
      }
      cells.add(new MigrationCell(r.getString(1), r.getString(2), r.isNullAt(3) ? 0 : r.getLong(3)));
    }
    return new Migration(previous, List.copyOf(cells));
  }

  // ---------------------------------------------------------------- churn

  private Churn churn(Dataset<Row> scores) {
    Optional<Dataset<Row>> silverCustomers = parquet(Output.SILVER.at(Contract.Customers.NAME, asOf)).content();
    return churn(scores, silverCustomers, settings.topAtRisk(), settings.language());
  }

  /**
   * Churn risk of the scored customers; names of the top list from the silver customers table
   * of the same as_of when it is there.
   */
  public static Churn churn(Dataset<Row> scores, Optional<Dataset<Row>> silverCustomers, int top, Language language) {
    Row totals = scores.agg(count(lit(1)), count(col(CustomerScores.CHURN_PROBABILITY)),
        count(col(CustomerScores.P_ALIVE_CAVEAT))).first();
    long[] bins = new long[RISK_BINS];
    for (Row r : scores.filter(col(CustomerScores.CHURN_PROBABILITY).isNotNull())
        .groupBy(least(floor(col(CustomerScores.CHURN_PROBABILITY).multiply(RISK_BINS)), lit(RISK_BINS - 1)).as("bin"))
        .agg(count(lit(1)))
        .collectAsList()) {
      int bin = (int) Math.max(0, r.getLong(0));
      bins[bin] += r.getLong(1);
    }
    List<RiskBin> histogram = new ArrayList<>();
    for (int b = 0; b < RISK_BINS; b++) {
      histogram.add(new RiskBin((double) b / RISK_BINS, (double) (b + 1) / RISK_BINS, bins[b]));
    }
    List<BandCount> bands = new ArrayList<>();
    for (Row r : scores.groupBy(col(CustomerScores.CHURN_BAND)).agg(count(lit(1))).collectAsList()) {
      bands.add(new BandCount(r.getString(0), r.getLong(1)));
    }
    List<String> order = List.of("high", "medium", "low");
    bands.sort(Comparator.comparing((BandCount b) -> b.band() == null ? Integer.MAX_VALUE
            : order.contains(b.band()) ? order.indexOf(b.band()) : order.size())
        .thenComparing(BandCount::band, Comparator.nullsLast(Comparator.naturalOrder())));

    String reasons = language == Language.DE ? CustomerScores.CHURN_REASONS_DE : CustomerScores.CHURN_REASONS_EN;
    List<Row> topRows = scores.filter(col(CustomerScores.VALUE_AT_RISK).isNotNull())
        .orderBy(col(CustomerScores.VALUE_AT_RISK).desc(), col(CustomerScores.CUSTOMER_ID).asc())
        .limit(top)
        .select(CustomerScores.CUSTOMER_ID, CustomerScores.SALES_REP_ID, CustomerScores.ABC_CLASS,
            CustomerScores.CHURN_PROBABILITY, CustomerScores.CHURN_BAND, CustomerScores.CLV,
            CustomerScores.VALUE_AT_RISK, reasons)
        .collectAsList();
    Map<String, String> names = names(topRows, silverCustomers);
    List<AtRisk> atRisk = new ArrayList<>();
    for (Row r : topRows) {
      atRisk.add(new AtRisk(r.getString(0), names.get(r.getString(0)), r.getString(1), r.getString(2),
          doubleOrNull(r, 3), r.getString(4), doubleOrNull(r, 5), doubleOrNull(r, 6), r.getString(7)));
    }
    List<String> versions = scores.filter(col(CustomerScores.CHURN_MODEL_VERSION).isNotNull())
        .select(CustomerScores.CHURN_MODEL_VERSION).distinct().limit(5).collectAsList()
        .stream().map(r -> r.getString(0)).sorted().toList();
    return new Churn(totals.getLong(0), totals.getLong(1), totals.getLong(2), List.copyOf(histogram),
        List.copyOf(bands), List.copyOf(atRisk), versions);
  }

  /** Names of the customers whose id is the first column of {@code rows}, from silver customers when it is there. */
  private static Map<String, String> names(List<Row> rows, Optional<Dataset<Row>> silverCustomers) {
    Map<String, String> names = new HashMap<>();
    List<Object> ids = rows.stream().map(r -> (Object) r.getString(0)).filter(java.util.Objects::nonNull).toList();
    if (silverCustomers.isPresent() && !ids.isEmpty()) {
      for (Row r : silverCustomers.get().filter(col(Contract.Customers.CUSTOMER_ID).isin(ids.toArray()))
          .select(Contract.Customers.CUSTOMER_ID, Contract.Customers.CUSTOMER_NAME).collectAsList()) {
        names.put(r.getString(0), r.getString(1));
      }
    }
    return names;
  }

  private static Double doubleOrNull(Row r, int i) {
    return r.isNullAt(i) ? null : r.getDouble(i);
  }

  private static double doubleOrZero(Row r, int i) {
    return r.isNullAt(i) ? 0 : r.getDouble(i);
  }

  // ---------------------------------------------------------------- payment risk

  private PaymentRisk paymentRisk(Dataset<Row> customers, List<Absence> absences) {
    PaymentRisk risk = paymentRisk(customers, parquet(Output.CUSTOMER_SCORES.at(asOf)).content(),
        parquet(Output.SILVER.at(Contract.Customers.NAME, asOf)).content(), settings.topAtRisk(), settings.language());
    // Only when no model scored this as_of does the manifest's no_model flag explain the page.
    String noModelReason = !risk.modelVersions().isEmpty() ? null : absences.stream()
        .filter(a -> PAYMENT_MODEL.equals(a.stage()) && NO_MODEL_FLAG.equals(a.code()))
        .map(Absence::reason).findFirst().orElse(null);
    return risk.withModel(modelQuality(PAYMENT_MODEL, Output.PAYMENT_RISK_CUSTOMERS.at(asOf) + ": "
        + CustomerScores.PAYMENT_MODEL_VERSION, risk.modelVersions()), noModelReason);
  }

  /**
   * The payment_risk customers output reduced: totals, the ageing of the open receivables, expected
   * loss by region (silver customers) and by sales rep (customer_scores), and the top customers by
   * expected loss with names from silver customers. The model part is left for the caller.
   */
  public static PaymentRisk paymentRisk(Dataset<Row> customers, Optional<Dataset<Row>> scores,
      Optional<Dataset<Row>> silverCustomers, int top, Language language) {
    Column loss = col(CustomerScores.PAYMENT_EXPECTED_LOSS);
    Row totals = customers.agg(count(lit(1)), count(col(CustomerScores.PAYMENT_DEFAULT_PROBABILITY)),
        count(when(col(PaymentDefaultLabels.IN_DEFAULT), lit(1))), sum(col(CustomerScores.PAYMENT_EXPOSURE)), sum(loss),
        // not yet due = open − overdue; the four buckets split the overdue part (docs/payment-risk.md)
        sum(amount(Receivables.OPEN_RECEIVABLES).minus(col(CustomerScores.PAYMENT_OVERDUE))),
        sum(amount(Receivables.OVERDUE_1_30)), sum(amount(Receivables.OVERDUE_31_60)),
        sum(amount(Receivables.OVERDUE_61_90)), sum(amount(Receivables.OVERDUE_OVER_90))).first();
    Ageing ageing = new Ageing(doubleOrZero(totals, 5), doubleOrZero(totals, 6), doubleOrZero(totals, 7),
        doubleOrZero(totals, 8), doubleOrZero(totals, 9));

    Dataset<Row> region = silverCustomers.filter(s -> List.of(s.columns()).contains(Contract.Customers.REGION))
        .map(s -> s.select(Contract.Customers.CUSTOMER_ID, Contract.Customers.REGION))
        .orElse(null);
    Dataset<Row> rep = scores.map(s -> s.select(CustomerScores.CUSTOMER_ID, CustomerScores.SALES_REP_ID)).orElse(null);
    List<LossGroup> byRegion = lossGroups(customers, region);
    List<LossGroup> byRep = lossGroups(customers, rep);

    String actionReason = language == Language.DE ? CustomerScores.PAYMENT_ACTION_REASON_DE
        : CustomerScores.PAYMENT_ACTION_REASON_EN;
    String reasons = language == Language.DE ? CustomerScores.PAYMENT_REASONS_DE : CustomerScores.PAYMENT_REASONS_EN;
    // Nothing to lose is no warning: customers with an expected loss of 0 (or none) are left out.
    List<Row> topRows = customers.filter(loss.gt(0))
        .orderBy(loss.desc(), col(CustomerScores.CUSTOMER_ID).asc())
        .limit(top)
        .select(CustomerScores.CUSTOMER_ID, CustomerScores.PAYMENT_RISK_BAND, CustomerScores.PAYMENT_DEFAULT_PROBABILITY,
            CustomerScores.PAYMENT_EXPOSURE, CustomerScores.PAYMENT_EXPECTED_LOSS, CustomerScores.PAYMENT_ACTION,
            actionReason, reasons)
        .collectAsList();
    Map<String, String> names = names(topRows, silverCustomers);
    List<PaymentAtRisk> atRisk = new ArrayList<>();
    for (Row r : topRows) {
      atRisk.add(new PaymentAtRisk(r.getString(0), names.get(r.getString(0)), r.getString(1), doubleOrNull(r, 2),
          doubleOrNull(r, 3), doubleOrNull(r, 4), r.getString(5), r.getString(6), r.getString(7)));
    }
    List<String> versions = customers.filter(col(CustomerScores.PAYMENT_MODEL_VERSION).isNotNull())
        .select(CustomerScores.PAYMENT_MODEL_VERSION).distinct().limit(5).collectAsList()
        .stream().map(r -> r.getString(0)).sorted().toList();
    return new PaymentRisk(totals.getLong(0), totals.getLong(1), totals.getLong(2), doubleOrZero(totals, 3),
        doubleOrZero(totals, 4), ageing, byRegion, byRep, List.copyOf(atRisk), versions, null, null);
  }

  private static Column amount(String column) {
    return col(column).cast(DataTypes.DoubleType);
  }

  /** Customers, exposure and expected loss per group of {@code groups}, largest expected loss first. */
  private static List<LossGroup> lossGroups(Dataset<Row> customers, Dataset<Row> groups) {
    return groupTotals(customers, groups, CustomerScores.PAYMENT_EXPECTED_LOSS, CustomerScores.PAYMENT_EXPOSURE).stream()
        .map(g -> new LossGroup(g.name(), g.customers(), g.sums().get(1), g.sums().get(0), g.others())).toList();
  }

  /**
   * Customers and the sums of {@code amounts} per group of {@code groups} (customer_id and the
   * group), largest first by the first amount; beyond {@value #LOSS_GROUPS} groups the rest is one
   * row. Customers without a group, or all of them when there is no {@code groups} table, count
   * under null. {@code customers} has one row per customer.
   */
  static List<GroupTotals> groupTotals(Dataset<Row> customers, Dataset<Row> groups, String... amounts) {
    List<Column> sums = new ArrayList<>();
    for (int i = 0; i < amounts.length; i++) {
      sums.add(sum(col(amounts[i]).cast(DataTypes.DoubleType)).as("_sum" + i));
    }
    Dataset<Row> grouped = (groups == null ? customers.withColumn("_group", lit(null).cast(DataTypes.StringType))
        : customers.join(groups.withColumnRenamed(groups.columns()[1], "_group"),
            new String[] {CustomerScores.CUSTOMER_ID}, "left"))
        .groupBy(col("_group"))
        .agg(count(lit(1)).as("customers"), sums.toArray(new Column[0]));
    List<Row> rows = grouped.orderBy(col("_sum0").desc_nulls_last(), col("_group").asc_nulls_last())
        .limit(LOSS_GROUPS + 1).collectAsList();
    List<GroupTotals> out = new ArrayList<>();
    for (Row r : rows.subList(0, Math.min(LOSS_GROUPS, rows.size()))) {
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < amounts.length; i++) {
        values.add(doubleOrZero(r, 2 + i));
      }
      out.add(new GroupTotals(r.getString(0), r.getLong(1), List.copyOf(values), 0));
    }
    if (rows.size() > LOSS_GROUPS) {
      // The rest: every group's totals less the ones shown.
      List<Column> totals = new ArrayList<>(List.of(sum(col("customers"))));
      for (int i = 0; i < amounts.length; i++) {
        totals.add(sum(col("_sum" + i)));
      }
      Row all = grouped.agg(count(lit(1)), totals.toArray(new Column[0])).first();
      List<Double> rest = new ArrayList<>();
      for (int i = 0; i < amounts.length; i++) {
        int amount = i;
        rest.add(doubleOrZero(all, 2 + i) - out.stream().mapToDouble(g -> g.sums().get(amount)).sum());
      }
      out.add(new GroupTotals(null, all.getLong(1) - out.stream().mapToLong(GroupTotals::customers).sum(),
          List.copyOf(rest), all.getLong(0) - LOSS_GROUPS));
    }
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------- cross-sell

  private CrossSell crossSell(Dataset<Row> recommendations) {
    CrossSell c = crossSell(recommendations, parquet(Output.CROSS_SELL_WHITE_SPACE.at(asOf)),
        parquet(Output.SILVER.at(Contract.Customers.NAME, asOf)).content(), settings.topAtRisk(), settings.language());
    return c.withGrade(crossSellGrade());
  }

  /**
   * The cross_sell recommendations reduced: totals, € potential by region and by sales rep (both
   * from silver customers), the top recommendations by € potential with names from silver
   * customers, and the white-space heat map. The evaluation is left for the caller.
   */
  public static CrossSell crossSell(Dataset<Row> recommendations, Section<Dataset<Row>> whiteSpace,
      Optional<Dataset<Row>> silverCustomers, int top, Language language) {
    Column potential = col(CrossSellOutput.EURO_POTENTIAL);
    Row totals = recommendations.agg(countDistinct(col(CrossSellOutput.CUSTOMER_ID)), count(lit(1)), sum(potential))
        .first();
    List<String> published = recommendations.select(CrossSellOutput.METHOD).distinct().limit(5).collectAsList().stream()
        .map(r -> r.getString(0)).filter(java.util.Objects::nonNull).sorted().toList();
    List<Row> levels = recommendations.select(CrossSellOutput.LEVEL).distinct().limit(1).collectAsList();
    String level = levels.isEmpty() ? null : levels.get(0).getString(0);

    Dataset<Row> perCustomer = recommendations.groupBy(col(CrossSellOutput.CUSTOMER_ID))
        .agg(sum(potential).as(CrossSellOutput.EURO_POTENTIAL));
    List<GroupTotals> byRegion = groupTotals(perCustomer, column(silverCustomers, Contract.Customers.REGION),
        CrossSellOutput.EURO_POTENTIAL);
    List<GroupTotals> byRep = groupTotals(perCustomer, column(silverCustomers, Contract.Customers.SALES_REP_ID),
        CrossSellOutput.EURO_POTENTIAL);

    String reason = language == Language.DE ? CrossSellOutput.REASON_DE : CrossSellOutput.REASON_EN;
    List<Row> topRows = recommendations.orderBy(potential.desc_nulls_last(), col(CrossSellOutput.CUSTOMER_ID).asc(),
            col(CrossSellOutput.RANK).asc())
        .limit(top)
        .select(col(CrossSellOutput.CUSTOMER_ID), col(CrossSellOutput.RANK).cast(DataTypes.IntegerType),
            col(CrossSellOutput.ITEM), potential, col(CrossSellOutput.PROBABILITY), col(CrossSellOutput.EVIDENCE), col(reason))
        .collectAsList();
    Map<String, String> names = names(topRows, silverCustomers);
    List<Opportunity> opportunities = new ArrayList<>();
    for (Row r : topRows) {
      opportunities.add(new Opportunity(r.getString(0), names.get(r.getString(0)), r.isNullAt(1) ? 0 : r.getInt(1),
          r.getString(2), doubleOrZero(r, 3), doubleOrNull(r, 4), r.getString(5), r.getString(6)));
    }
    return new CrossSell(totals.getLong(0), totals.getLong(1), doubleOrZero(totals, 2), published, level,
        whiteSpace.map(ScorecardReader::whiteSpaceMap), byRegion, byRep, List.copyOf(opportunities),
        Section.absent(Output.promotedFile(CROSS_SELL_MODEL)));
  }

  /** customer_id and {@code column} of silver customers, or null when there is no such table or column. */
  private static Dataset<Row> column(Optional<Dataset<Row>> silverCustomers, String column) {
    return silverCustomers.filter(s -> List.of(s.columns()).contains(column))
        .map(s -> s.select(Contract.Customers.CUSTOMER_ID, column)).orElse(null);
  }

  /**
   * The heat map of the white-space table: penetration per industry (all customers when no customer
   * has one) × item, for the {@value #HEAT_MAP_GROUPS} industries with the most customers and the
   * {@value #HEAT_MAP_ITEMS} items with the highest penetration among all customers.
   */
  public static WhiteSpaceMap whiteSpaceMap(Dataset<Row> table) {
    Column level = col(PeerGroups.PEER_LEVEL);
    String peerLevel = table.filter(level.equalTo(PeerGroups.INDUSTRY)).isEmpty() ? PeerGroups.ALL : PeerGroups.INDUSTRY;
    Dataset<Row> rows = table.filter(level.equalTo(peerLevel));
    Row sizes = rows.agg(countDistinct(col(PeerGroups.PEER_GROUP)), countDistinct(col(ItemPurchases.ITEM))).first();
    // A group's peers are the same on each of its rows.
    List<String> groups = rows.groupBy(col(PeerGroups.PEER_GROUP)).agg(functions.max(col(WhiteSpace.PEERS)).as("_peers"))
        .orderBy(col("_peers").desc(), col(PeerGroups.PEER_GROUP).asc()).limit(HEAT_MAP_GROUPS).collectAsList()
        .stream().map(r -> r.getString(0)).toList();
    List<String> items = table.filter(level.equalTo(PeerGroups.ALL))
        .orderBy(col(WhiteSpace.PENETRATION).desc(), col(ItemPurchases.ITEM).asc()).limit(HEAT_MAP_ITEMS)
        .select(ItemPurchases.ITEM).collectAsList().stream().map(r -> r.getString(0)).toList();
    List<WhiteSpaceCell> cells = new ArrayList<>();
    if (!groups.isEmpty() && !items.isEmpty()) {
      for (Row r : rows.filter(col(PeerGroups.PEER_GROUP).isin(groups.toArray()).and(col(ItemPurchases.ITEM).isin(items.toArray())))
          .select(col(PeerGroups.PEER_GROUP), col(ItemPurchases.ITEM), col(WhiteSpace.PEERS), col(WhiteSpace.BUYERS),
              col(WhiteSpace.PENETRATION))
          .collectAsList()) {
        cells.add(new WhiteSpaceCell(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3), r.getDouble(4)));
      }
    }
    return new WhiteSpaceMap(peerLevel, groups, items, List.copyOf(cells), sizes.getLong(0), sizes.getLong(1));
  }

  /**
   * The promoted cross-sell evaluation ({@code train cross_sell}), or where it was looked for.
   * Models are not partitioned by as_of and the recommendations name no version: the promoted one
   * is the choice the stage published from.
   */
  Section<CrossSellGrade> crossSellGrade() {
    Optional<String> version = promotedVersion(CROSS_SELL_MODEL);
    if (version.isEmpty()) {
      return Section.absent(Output.promotedFile(CROSS_SELL_MODEL));
    }
    return evaluationFile(CROSS_SELL_MODEL, version.get(), root + "/" + Output.promotedFile(CROSS_SELL_MODEL) + ": version")
        .map(f -> crossSellGrade(f.json(), version.get()));
  }

  static CrossSellGrade crossSellGrade(JsonNode evaluation, String version) {
    JsonNode test = evaluation.path("test");
    Map<String, Map<String, Double>> methods = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> m : test.path("methods").properties()) {
      methods.put(m.getKey(), numbers(m.getValue()));
    }
    List<String> leftOut = new ArrayList<>();
    evaluation.path("left_out").forEach(l -> leftOut.add(l.asText()));
    return new CrossSellGrade(version, evaluation.path("published").asText(null), evaluation.path("level").asText(null),
        evaluation.path("k").asInt(0), test.path("recommended_at").asText(null), test.path("observed_until").asText(null),
        methods, evaluation.path("selection").path("why").asText(null), List.copyOf(leftOut));
  }

  // ---------------------------------------------------------------- data quality

  /**
   * The row accounting of the run whose ingest wrote this as_of's silver tables: the run in
   * progress when it ingested, else the latest manifest under runs/ for this as_of with a
   * succeeded ingest stage.
   */
  Section<DataQuality> dataQuality(Optional<String> currentManifest) {
    if (currentManifest.isPresent()) {
      JsonNode current = parse(currentManifest.get(), "the manifest of the run in progress");
      if (ingested(current)) {
        return Section.present(dataQuality(current, "the manifest of the run in progress"));
      }
    }
    String folder = root + "/" + RUNS_FOLDER;
    JsonNode latest = null;
    String latestFile = null;
    try {
      Path runs = new Path(folder);
      if (fs.exists(runs)) {
        for (FileStatus s : fs.listStatus(runs)) {
          String name = s.getPath().getName();
          if (!s.isFile() || !name.endsWith(".json") || name.startsWith(".")) {
            continue;
          }
          JsonNode m = parse(readText(s.getPath()), s.getPath().toString());
          if (!asOf.toString().equals(m.path("as_of").asText()) || !ingested(m)) {
            continue;
          }
          if (latest == null || m.path("started_at").asText().compareTo(latest.path("started_at").asText()) > 0) {
            latest = m;
            latestFile = s.getPath().toString();
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    return latest == null ? Section.absent(RUNS_FOLDER + "/<run_id>.json (a run that ingested as_of " + asOf + ")")
        : Section.present(dataQuality(latest, latestFile));
  }

  /**
   * What is missing for this as_of and why: for each stage, its latest record among the run in
   * progress and the manifests under runs/ for this as_of (the run in progress first, then the
   * newest). A stage whose latest record did not succeed is listed with its status and reason; the
   * flags of a stage are listed from the manifest of its latest record.
   */
  List<Absence> absences(Optional<String> currentManifest) {
    List<JsonNode> manifests = new ArrayList<>();
    List<JsonNode> written = new ArrayList<>();
    try {
      Path runs = new Path(root + "/" + RUNS_FOLDER);
      if (fs.exists(runs)) {
        for (FileStatus s : fs.listStatus(runs)) {
          String name = s.getPath().getName();
          if (s.isFile() && name.endsWith(".json") && !name.startsWith(".")) {
            JsonNode m = parse(readText(s.getPath()), s.getPath().toString());
            if (asOf.toString().equals(m.path("as_of").asText())) {
              written.add(m);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + "/" + RUNS_FOLDER, e);
    }
    written.sort(Comparator.comparing((JsonNode m) -> m.path("started_at").asText()).reversed());
    String currentId = null;
    if (currentManifest.isPresent()) {
      JsonNode current = parse(currentManifest.get(), "the manifest of the run in progress");
      currentId = current.path("run_id").asText();
      manifests.add(current);
    }
    for (JsonNode m : written) {
      if (!m.path("run_id").asText().equals(currentId)) {
        manifests.add(m);
      }
    }
    Map<String, JsonNode> latestRecord = new LinkedHashMap<>();
    Map<String, JsonNode> latestManifest = new LinkedHashMap<>();
    for (JsonNode m : manifests) {
      for (JsonNode s : m.path("stages")) {
        String stage = s.path("stage").asText();
        if (!latestRecord.containsKey(stage)) {
          latestRecord.put(stage, s);
          latestManifest.put(stage, m);
        }
      }
    }
    List<Absence> out = new ArrayList<>();
    latestRecord.forEach((stage, s) -> {
      if (!"succeeded".equals(s.path("status").asText())) {
        out.add(new Absence(stage, s.path("status").asText(), s.path("reason").asText("")));
      }
      for (JsonNode f : latestManifest.get(stage).path("flags")) {
        if (stage.equals(f.path("stage").asText())) {
          out.add(new Absence(stage, "flag", f.path("message").asText(""), f.path("code").asText(null)));
        }
      }
    });
    return out;
  }

  private static boolean ingested(JsonNode manifest) {
    for (JsonNode s : manifest.path("stages")) {
      if ("ingest".equals(s.path("stage").asText()) && "succeeded".equals(s.path("status").asText())) {
        return manifest.path("tables").size() > 0;
      }
    }
    return false;
  }

  static DataQuality dataQuality(JsonNode manifest, String source) {
    List<TableRows> tables = new ArrayList<>();
    for (Map.Entry<String, JsonNode> t : manifest.path("tables").properties()) {
      tables.add(new TableRows(t.getKey(), tableCount(t.getValue(), "read", source, t.getKey()),
          tableCount(t.getValue(), "accepted", source, t.getKey()), tableCount(t.getValue(), "quarantined", source, t.getKey()),
          t.getValue().path("after_as_of").asLong(0))); // absent in manifests written before it was counted
    }
    return new DataQuality(manifest.path("run_id").asText(null), manifest.path("started_at").asText(null),
        List.copyOf(tables));
  }

  private static long tableCount(JsonNode table, String field, String source, String name) {
    JsonNode v = table.get(field);
    if (v == null || !v.canConvertToLong()) {
      throw new UserError(source + ": tables." + name + "." + field + " is missing or not a whole number; "
          + "the manifest is damaged: run the ingest stage for this as_of again");
    }
    return v.asLong();
  }

  // ---------------------------------------------------------------- model quality

  /**
   * The evaluation of the model that scored this as_of (the scores' version column when it names
   * one version), else of the promoted one. Models are not partitioned by as_of, so the version
   * the scores name is the one that belongs to this run.
   *
   * @param model the model's store under models/ (churn, payment_risk)
   * @param versionColumn where the scoring versions come from, for the error message
   */
  Section<ModelQuality> modelQuality(String model, String versionColumn, List<String> scoringVersions) {
    Optional<String> promoted = promotedVersion(model);
    Optional<String> scoredBy = scoringVersions.size() == 1 ? Optional.of(scoringVersions.get(0)) : Optional.empty();
    Optional<String> version = scoredBy.or(() -> promoted);
    if (version.isEmpty()) {
      return Section.absent(Output.promotedFile(model));
    }
    String versionSource = scoredBy.isPresent() ? versionColumn : root + "/" + Output.promotedFile(model) + ": version";
    return evaluationFile(model, version.get(), versionSource)
        .map(f -> modelQuality(f.json(), f.path(), promoted.orElse(null), model));
  }

  /** An evaluation file as read: where it is and its JSON. */
  private record Evaluation(String path, JsonNode json) {}

  /**
   * The evaluation.json of {@code version} of {@code model}, or its path when it is not there.
   *
   * @param versionSource where the version came from, for the error message
   */
  private Section<Evaluation> evaluationFile(String model, String version, String versionSource) {
    if (!VERSION.matcher(version).matches()) {
      throw new UserError(versionSource + " '" + version
          + "' is not a model version (letters, digits, '.', '_', '-'); re-run the training that wrote it");
    }
    String relative = Output.evaluationFile(model, version);
    Path file = new Path(root + "/" + relative);
    if (!exists(file.toString())) {
      return Section.absent(relative);
    }
    return Section.present(new Evaluation(file.toString(), parse(readText(file), file.toString())));
  }

  private Optional<String> promotedVersion(String model) {
    Path file = new Path(root + "/" + Output.promotedFile(model));
    if (!exists(file.toString())) {
      return Optional.empty();
    }
    JsonNode v = parse(readText(file), file.toString()).get("version");
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new UserError(file + ": expected {\"version\": \"...\"}; promote a model again to rewrite it");
    }
    return Optional.of(v.asText());
  }

  static ModelQuality modelQuality(JsonNode evaluation, String source, String promotedVersion, String model) {
    JsonNode metrics = evaluation.get("metrics");
    if (metrics == null || !metrics.isObject()) {
      throw new UserError(source + ": has no \"metrics\" object; the evaluation is incomplete: evaluate the model again");
    }
    Map<String, Map<String, Double>> baselines = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> b : evaluation.path("baselines").properties()) {
      baselines.put(b.getKey(), numbers(b.getValue()));
    }
    JsonNode promoted = evaluation.get("promoted");
    return new ModelQuality(evaluation.path("model").asText(model), evaluation.path("version").asText(null),
        evaluation.path("grade").asText(null), promoted == null || !promoted.isBoolean() ? null : promoted.asBoolean(),
        promotedVersion, numbers(metrics), baselines);
  }

  private static Map<String, Double> numbers(JsonNode object) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      if (e.getValue().isNumber()) {
        out.put(e.getKey(), e.getValue().asDouble());
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- files

  private String readText(Path file) {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static JsonNode parse(String json, String source) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || !n.isObject()) {
        throw new UserError(source + ": expected a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UserError(source + ": not valid JSON (" + e.getOriginalMessage() + "); rewrite or remove the file", e);
    }
  }
}

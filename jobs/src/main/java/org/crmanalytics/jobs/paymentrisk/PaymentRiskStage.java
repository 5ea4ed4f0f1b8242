package org.crmanalytics.jobs.paymentrisk;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.classify.ModelExplanations;
import org.crmanalytics.jobs.classify.ModelTraining;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.Publication;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.classify.ModelFeatures;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.Contract.Invoices;
import org.crmanalytics.models.explain.ReasonRules;
import org.crmanalytics.models.explain.ValueFormat.Language;
import org.crmanalytics.models.payments.PaymentDefaultLabels;
import org.crmanalytics.models.payments.Receivables;
import org.crmanalytics.models.paymentrisk.ActionRule;
import org.crmanalytics.models.paymentrisk.OpenInvoices;
import org.crmanalytics.models.paymentrisk.PaymentRiskSettings;
import org.crmanalytics.models.paymentrisk.PaymentRiskTrainingSet;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * The payment-default early warning at as_of: every customer recently invoiced or with open
 * receivables, with the receivables at as_of (exposure, overdue by age), the promoted model's
 * probability of a default within the horizon, its band, the expected loss, the reasons and the
 * action of the first matching rule; and the open invoices by expected loss. A customer already in
 * default is not scored: band {@code in_default}, the whole exposure expected to be lost. Without a
 * promoted model (none trained, or not better than the credit manager's rules) the receivables are
 * still published, with the probability null and the reason flagged (docs/payment-risk.md).
 */
public final class PaymentRiskStage implements PipelineStage {
  public static final String NAME = "payment_risk";
  /** Columns of the customers output besides those of customer_scores. */
  public static final String IN_DEFAULT = PaymentDefaultLabels.IN_DEFAULT;
  /** Columns of the invoices output besides the invoice's own. */
  public static final String EXPECTED_LOSS = OpenInvoices.EXPECTED_LOSS;

  private static final List<String> RECEIVABLES_KEPT = List.of(Receivables.OPEN_RECEIVABLES, Receivables.OPEN_ORDERS,
      Receivables.OVERDUE_1_30, Receivables.OVERDUE_31_60, Receivables.OVERDUE_61_90, Receivables.OVERDUE_OVER_90,
      Receivables.MAX_DAYS_PAST_DUE, Receivables.DUNNING_LEVEL_MAX);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Input> reads() {
    return List.of(Input.required(Output.SILVER));
  }

  @Override
  public Optional<String> missingInputs(RunContext ctx) {
    return ctx.missingSilver(Contract.Customers.NAME, Invoices.NAME)
        .map(m -> m + ". Payment-default risk is read from invoices (and payments); without them it is not scored");
  }

  @Override
  public List<ConfigSection<?>> sections() {
    return List.of(PaymentRiskConfig.SECTION);
  }

  /** The tables the receivables read: invoices (required here), payments, dunning notices, sales, customers, tickets. */
  static Map<String, Dataset<Row>> silver(RunContext ctx, String stage) {
    List<String> absent = new ArrayList<>();
    Map<String, Dataset<Row>> silver = ctx.silverTables(List.of(Contract.Customers.NAME, Invoices.NAME,
        Contract.Payments.NAME, Contract.DunningNotices.NAME, Contract.Sales.NAME, Contract.Tickets.NAME), stage, absent);
    if (!absent.isEmpty()) {
      ctx.console().detail(stage + ": no data for " + String.join(", ", absent) + " (their features are null)");
    }
    return silver;
  }

  @Override
  public void run(RunContext ctx) {
    PaymentRiskSettings cfg = ctx.config().settings(PaymentRiskSettings.class);
    LocalDate asOf = ctx.config().asOf();
    Optional<ModelStore.StoredModel> model = model(ctx);
    Console.Stage st = ctx.begin(NAME, "payment-default risk as of " + asOf);
    // Read three times below (receivables, population, open invoices): the allocation once.
    Map<String, Dataset<Row>> silver = Receivables.withAllocation(silver(ctx, NAME));
    // Read by the model, by the explanations (raw values) and by the output: computed once.
    Dataset<Row> receivables = Receivables.customersAt(silver, asOf, cfg.receivables())
        .join(PaymentDefaultLabels.populationAt(silver, asOf, cfg.definition()), Invoices.CUSTOMER_ID)
        .persist(StorageLevel.MEMORY_AND_DISK());

    Column probability;
    Dataset<Row> rows = receivables;
    if (model.isPresent()) {
      Dataset<Row> explained = scored(model.get(), receivables.filter(col(IN_DEFAULT).equalTo(false)), asOf,
          cfg.reasons(), ctx.config().currency());
      rows = receivables.join(explained, new String[] {Invoices.CUSTOMER_ID}, "left");
      probability = col(PaymentRiskTrainingSet.PROBABILITY);
    } else {
      probability = lit(null).cast(DataTypes.DoubleType);
      rows = rows.withColumn(CustomerScores.PAYMENT_REASONS_EN, lit(null).cast(DataTypes.StringType))
          .withColumn(CustomerScores.PAYMENT_REASONS_DE, lit(null).cast(DataTypes.StringType))
          .withColumn(CustomerScores.PAYMENT_REASONS, lit(null).cast(CustomerScores.REASONS_TYPE));
    }
    Dataset<Row> out = customers(rows, probability, cfg, model.map(ModelStore.StoredModel::version).orElse(null),
        ctx.config().currency());
    Publication publication = ctx.publication();
    Dataset<Row> written = publication.stage(Output.PAYMENT_RISK_CUSTOMERS, out);
    receivables.unpersist();

    // The customers as written, not scored again.
    Dataset<Row> byCustomer = written.select(col(CustomerScores.CUSTOMER_ID).as("_cid"),
        col(CustomerScores.PAYMENT_DEFAULT_PROBABILITY).as("_p"), col(IN_DEFAULT).as("_in_default"));
    Dataset<Row> invoices = Receivables.invoicesAt(silver, asOf).filter(col(Receivables.OPEN_AMOUNT).gt(0));
    Column p = when(col("_in_default"), lit(1.0)).otherwise(col("_p"));
    Dataset<Row> openInvoices = invoices.join(byCustomer, invoices.col(Invoices.CUSTOMER_ID).equalTo(col("_cid")), "left")
        .withColumn(CustomerScores.PAYMENT_DEFAULT_PROBABILITY, col("_p"))
        .withColumn(IN_DEFAULT, coalesce(col("_in_default"), lit(false)))
        .withColumn(EXPECTED_LOSS, p.multiply(col(Receivables.OPEN_AMOUNT).cast(DataTypes.DoubleType)))
        .drop("_cid", "_p", "_in_default")
        .orderBy(desc(EXPECTED_LOSS), col(Receivables.OPEN_AMOUNT).desc(), col(Invoices.INVOICE_ID));

    publication.stage(Output.PAYMENT_RISK_INVOICES, openInvoices);
    List<Row> bands = written.groupBy(CustomerScores.PAYMENT_RISK_BAND).count().collectAsList().stream()
        .sorted(java.util.Comparator.comparingInt(r -> CustomerScores.urgency(r.isNullAt(0) ? null : r.getString(0))))
        .toList();
    long customers = bands.stream().mapToLong(r -> r.getLong(1)).sum();
    long invoiceRows = publication.rows(Output.PAYMENT_RISK_INVOICES);
    publication.commit();
    Receivables.release(silver);
    st.done(customers, customers, String.format(Locale.ROOT, "%s; %s; %,d open invoices",
        model.map(m -> "model " + m.version()).orElse("no promoted model: receivables only"),
        String.join(", ", bands.stream().map(r -> (r.isNullAt(0) ? "unscored" : r.getString(0)) + " " + r.getLong(1))
            .toList()), invoiceRows));
  }

  /** The promoted model (ModelTraining.forScoring); when there is none, the flag says why. */
  private static Optional<ModelStore.StoredModel> model(RunContext ctx) {
    ModelTraining.ForScoring forScoring = ModelTraining.forScoring(ctx, NAME, () -> new PaymentTrainingJob().train(ctx));
    if (forScoring.model().isEmpty()) {
      ctx.flag(NAME, "no_model", forScoring.why() + ". The receivables (exposure, overdue by age, open invoices) are "
          + "published; the default probability, band (except in_default), expected loss and actions of the others "
          + "are null");
    }
    return forScoring.model();
  }

  /** customer_id, the probability and the reasons of the customers not in default. */
  private static Dataset<Row> scored(ModelStore.StoredModel model, Dataset<Row> population, LocalDate asOf,
      ReasonRules reasons, String currency) {
    ModelFeatures features = new ModelFeatures(model.features());
    List<String> missing = features.missingIn(population.schema());
    if (!missing.isEmpty()) {
      throw new UserError("payment_risk model " + model.version() + " needs the features " + String.join(", ", missing)
          + ", which the receivables of " + asOf + " do not provide; train a new model (bin/crm-analytics train "
          + "payment_risk)");
    }
    Dataset<Row> scored = model.pipeline().transform(features.prepare(population));
    return ModelExplanations.explain(NAME, scored, PaymentRiskTrainingSet.PROBABILITY, model, features.names(),
            population, List.of(), reasons, PaymentWording.labels(currency))
        .select(col(Invoices.CUSTOMER_ID), col(PaymentRiskTrainingSet.PROBABILITY),
            col(CustomerScores.CHURN_REASONS_EN).as(CustomerScores.PAYMENT_REASONS_EN),
            col(CustomerScores.CHURN_REASONS_DE).as(CustomerScores.PAYMENT_REASONS_DE),
            col(CustomerScores.CHURN_REASONS).as(CustomerScores.PAYMENT_REASONS));
  }

  /** The customers output: customer_scores' payment columns, in_default, and the receivables kept. */
  static Dataset<Row> customers(Dataset<Row> rows, Column probability, PaymentRiskSettings cfg, String version,
      String currency) {
    Column inDefault = col(IN_DEFAULT);
    Column exposure = col(Receivables.EXPOSURE).cast(DataTypes.DoubleType);
    Column effective = when(inDefault, lit(1.0)).otherwise(probability);
    Column band = when(inDefault, lit(CustomerScores.BAND_IN_DEFAULT))
        .when(probability.geq(cfg.highBand()), lit(PaymentRiskSettings.HIGH))
        .when(probability.geq(cfg.mediumBand()), lit(PaymentRiskSettings.MEDIUM))
        .when(probability.isNotNull(), lit(PaymentRiskSettings.LOW));
    Column action = lit(null).cast(DataTypes.StringType);
    Column minP = lit(null).cast(DataTypes.DoubleType);
    Column minExposure = lit(null).cast(DataTypes.DoubleType);
    for (int i = cfg.actions().size() - 1; i >= 0; i--) {
      ActionRule r = cfg.actions().get(i);
      Column matches = effective.geq(r.minProbability()).and(exposure.geq(r.minExposure().doubleValue()));
      action = when(matches, lit(r.action())).otherwise(action);
      minP = when(matches, lit(r.minProbability())).otherwise(minP);
      minExposure = when(matches, lit(r.minExposure().doubleValue())).otherwise(minExposure);
    }
    PaymentWording wording = new PaymentWording(currency);
    UDF1<Row, Row> texts = in -> {
      String act = in.isNullAt(0) ? null : in.getString(0);
      boolean defaulted = in.getBoolean(1);
      String[] reason = new String[2];
      String[] because = new String[2];
      for (Language l : Language.values()) {
        if (defaulted) {
          reason[l.ordinal()] = wording.inDefault(l, in.getDouble(5), in.getInt(6));
        }
        if (act != null) {
          because[l.ordinal()] = wording.action(l, act, in.getDouble(2), in.getDouble(3), in.getDouble(4),
              in.getDouble(7));
        }
      }
      return RowFactory.create(because[0], because[1], reason[0], reason[1]);
    };
    StructType textType = new StructType().add("action_en", DataTypes.StringType).add("action_de", DataTypes.StringType)
        .add("default_en", DataTypes.StringType).add("default_de", DataTypes.StringType);
    Column t = udf(texts, textType).apply(struct(action, inDefault, coalesce(effective, lit(0.0)),
        coalesce(minP, lit(0.0)), exposure, col(Receivables.OVERDUE_RECEIVABLES).cast(DataTypes.DoubleType),
        col(Receivables.MAX_DAYS_PAST_DUE), coalesce(minExposure, lit(0.0))));

    List<Column> out = new ArrayList<>(List.of(
        col(Invoices.CUSTOMER_ID).as(CustomerScores.CUSTOMER_ID),
        when(inDefault, lit(null).cast(DataTypes.DoubleType)).otherwise(probability)
            .as(CustomerScores.PAYMENT_DEFAULT_PROBABILITY),
        band.as(CustomerScores.PAYMENT_RISK_BAND),
        exposure.as(CustomerScores.PAYMENT_EXPOSURE),
        col(Receivables.OVERDUE_RECEIVABLES).cast(DataTypes.DoubleType).as(CustomerScores.PAYMENT_OVERDUE),
        effective.multiply(exposure).as(CustomerScores.PAYMENT_EXPECTED_LOSS),
        action.as(CustomerScores.PAYMENT_ACTION),
        col("_t.action_en").as(CustomerScores.PAYMENT_ACTION_REASON_EN),
        col("_t.action_de").as(CustomerScores.PAYMENT_ACTION_REASON_DE),
        when(inDefault, col("_t.default_en")).otherwise(col(CustomerScores.PAYMENT_REASONS_EN))
            .as(CustomerScores.PAYMENT_REASONS_EN),
        when(inDefault, col("_t.default_de")).otherwise(col(CustomerScores.PAYMENT_REASONS_DE))
            .as(CustomerScores.PAYMENT_REASONS_DE),
        col(CustomerScores.PAYMENT_REASONS),
        lit(version).cast(DataTypes.StringType).as(CustomerScores.PAYMENT_MODEL_VERSION),
        inDefault.as(IN_DEFAULT)));
    RECEIVABLES_KEPT.forEach(c -> out.add(col(c)));
    return rows.withColumn("_t", t).select(out.toArray(Column[]::new));
  }
}

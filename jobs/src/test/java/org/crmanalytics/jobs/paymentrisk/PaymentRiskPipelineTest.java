package org.crmanalytics.jobs.paymentrisk;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.SampleCompany;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.cli.Pipeline;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.AtomicOutput;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.explain.ReasonWording;
import org.crmanalytics.models.payments.Receivables;
import org.crmanalytics.models.scores.CustomerScores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payment-default early warning end to end on the bundled sample company (1,000 customers, as
 * of 2025-12-31). The sample has few defaults: the model trained on a first run is not better than
 * the days-past-due rule on its test snapshot, so it is not promoted and the receivables are
 * published without probabilities. Promoted by hand afterwards (as an operator could), it scores.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PaymentRiskPipelineTest {
  private static final LocalDate AS_OF = SampleCompany.AS_OF;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path out;
  private static SparkSession spark;
  private static PipelineConfig config;
  private static JsonNode firstRun;

  @BeforeAll
  static void runOnce(SparkSession session) throws IOException {
    spark = session;
    SampleCompany.writeSilver(spark, out, AS_OF);
    Path file = out.resolve("config.yaml");
    Files.writeString(file, """
        as_of: 2025-12-31
        tables:
          customers: {path: unused/customers.csv}
          sales: {path: unused/sales.csv}
        payment_risk:
          training: {gbt_max_iter: 5, snapshots: 1}
          actions:
            credit_hold: {min_probability: 0.5, min_exposure: 1000}
            review: {min_probability: 0.0}
        """);
    config = Pipeline.configLoader(Map.of()).load(file).withOutput(out);
    firstRun = run(List.of("payment_risk"));
  }

  private static JsonNode run(List<String> stages) throws IOException {
    List<PipelineStage> ordered = stages.stream().map(s -> Pipeline.graph().stage(s)).toList();
    String manifest = new PipelineRunner(new Console(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
        Console.Verbosity.QUIET)).run(spark, config, ordered, "test");
    return JSON.readTree(Files.readString(Path.of(java.net.URI.create(manifest))));
  }

  private static ModelStore store() {
    return new ModelStore(PaymentRiskStage.NAME, out.toUri().toString().replaceAll("/$", ""),
        new AtomicOutput(spark.sparkContext().hadoopConfiguration()));
  }

  private static Dataset<Row> read(Output output) {
    return spark.read().parquet(out.resolve(output.at(AS_OF)).toString());
  }

  @Test
  @Order(1)
  void withoutAPromotedModelTheReceivablesArePublishedAndTheFlagSaysWhy() {
    assertTrue(store().promotedVersion().isEmpty(), "the sample's model does not beat the days-past-due rule");
    String flags = firstRun.path("flags").toString();
    assertTrue(flags.contains("no_model") && flags.contains("is not promoted"), flags);
    Dataset<Row> customers = read(Output.PAYMENT_RISK_CUSTOMERS);
    assertTrue(customers.count() > 500, "recently invoiced customers: " + customers.count());
    assertEquals(0, customers.filter(col(CustomerScores.PAYMENT_DEFAULT_PROBABILITY).isNotNull()).count());
    // Those in default get their band, the whole exposure as expected loss, the reason and the action.
    Dataset<Row> inDefault = customers.filter(col(PaymentRiskStage.IN_DEFAULT));
    assertTrue(inDefault.count() > 0);
    assertEquals(inDefault.count(), customers.filter(col(CustomerScores.PAYMENT_RISK_BAND)
        .equalTo(CustomerScores.BAND_IN_DEFAULT)).count());
    Row d = inDefault.orderBy(col(CustomerScores.PAYMENT_EXPOSURE).desc()).first();
    assertEquals(d.getDouble(d.fieldIndex(CustomerScores.PAYMENT_EXPOSURE)),
        d.getDouble(d.fieldIndex(CustomerScores.PAYMENT_EXPECTED_LOSS)), 1e-9);
    assertTrue(d.getString(d.fieldIndex(CustomerScores.PAYMENT_REASONS_EN)).startsWith("in default: "),
        d.toString());
    assertTrue(d.getString(d.fieldIndex(CustomerScores.PAYMENT_REASONS_DE)).startsWith("im Zahlungsausfall: "),
        d.toString());
    if (d.getDouble(d.fieldIndex(CustomerScores.PAYMENT_EXPOSURE)) >= 1000) {
      assertEquals("credit_hold", d.getString(d.fieldIndex(CustomerScores.PAYMENT_ACTION)));
      assertTrue(d.getString(d.fieldIndex(CustomerScores.PAYMENT_ACTION_REASON_EN))
          .startsWith("credit hold: default probability 100% (from 50%), exposure "), d.toString());
      assertTrue(d.getString(d.fieldIndex(CustomerScores.PAYMENT_ACTION_REASON_DE))
          .startsWith("Liefersperre: Ausfallwahrscheinlichkeit 100 % (ab 50 %), Obligo "), d.toString());
    }
    // The others have no probability, so no band, expected loss or action.
    assertEquals(0, customers.filter(col(PaymentRiskStage.IN_DEFAULT).equalTo(false)
        .and(col(CustomerScores.PAYMENT_ACTION).isNotNull().or(col(CustomerScores.PAYMENT_EXPECTED_LOSS).isNotNull())
            .or(col(CustomerScores.PAYMENT_RISK_BAND).isNotNull()))).count());
  }

  @Test
  @Order(2)
  void theOpenInvoicesAreEveryInvoiceWithAnOpenAmountAtAsOf() {
    Dataset<Row> invoices = read(Output.PAYMENT_RISK_INVOICES);
    long open = Receivables.invoicesAt(SampleCompany.tables(spark), AS_OF)
        .filter(col(Receivables.OPEN_AMOUNT).gt(0)).count();
    assertEquals(open, invoices.count());
    assertTrue(open > 0);
    // Customers in default: the whole open amount is expected to be lost.
    assertEquals(0, invoices.filter(col(PaymentRiskStage.IN_DEFAULT)
        .and(col(PaymentRiskStage.EXPECTED_LOSS).notEqual(col(Receivables.OPEN_AMOUNT).cast("double")))).count());
    double exposureOpen = read(Output.PAYMENT_RISK_CUSTOMERS).agg(org.apache.spark.sql.functions.sum(
        Receivables.OPEN_RECEIVABLES)).first().getDecimal(0).doubleValue();
    double invoiceOpen = invoices.agg(org.apache.spark.sql.functions.sum(Receivables.OPEN_AMOUNT)).first()
        .getDecimal(0).doubleValue();
    assertTrue(invoiceOpen >= exposureOpen - 1e-6, invoiceOpen + " vs " + exposureOpen);
  }

  @Test
  @Order(3)
  void aLaterRunDoesNotTrainAgainAndNamesTheLatestVersion() throws IOException {
    List<String> before = versions();
    assertEquals(1, before.size(), "the first run trained one version: " + before);
    JsonNode second = run(List.of("payment_risk"));
    assertEquals(before, versions(), "a second run without a promoted model trains nothing");
    String flags = second.path("flags").toString();
    assertTrue(flags.contains("the latest payment_risk model (" + before.get(0) + ", trained for as_of " + AS_OF
        + ") is not promoted: "), flags);
    assertTrue(flags.contains("bin/crm-analytics train payment_risk"), flags);
    assertTrue(store().promotedVersion().isEmpty());
  }

  private static List<String> versions() throws IOException {
    try (var folders = Files.list(out.resolve("models/payment_risk"))) {
      return folders.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  @Order(4)
  void aPromotedModelScoresWithProbabilityBandExpectedLossReasonsAndActions() throws IOException {
    ModelStore store = store();
    String version = versions().get(0);
    store.promote(version);
    run(List.of("payment_risk", "features", "scores"));
    Dataset<Row> customers = read(Output.PAYMENT_RISK_CUSTOMERS);
    Dataset<Row> scored = customers.filter(col(PaymentRiskStage.IN_DEFAULT).equalTo(false));
    assertEquals(0, scored.filter(col(CustomerScores.PAYMENT_DEFAULT_PROBABILITY).isNull()
        .or(col(CustomerScores.PAYMENT_DEFAULT_PROBABILITY).lt(0))
        .or(col(CustomerScores.PAYMENT_DEFAULT_PROBABILITY).gt(1))).count());
    assertEquals(0, scored.filter(col(CustomerScores.PAYMENT_EXPECTED_LOSS).minus(
        col(CustomerScores.PAYMENT_DEFAULT_PROBABILITY).multiply(col(CustomerScores.PAYMENT_EXPOSURE))).$greater(1e-6))
        .count());
    assertEquals(0, scored.filter(col(CustomerScores.PAYMENT_RISK_BAND).equalTo("high")
        .and(col(CustomerScores.PAYMENT_DEFAULT_PROBABILITY).lt(0.3))).count());
    assertEquals(0, scored.filter(col(CustomerScores.PAYMENT_RISK_BAND).equalTo("low")
        .and(col(CustomerScores.PAYMENT_DEFAULT_PROBABILITY).geq(0.1))).count());
    // review matches every probability: each scored customer has an action and its reason.
    assertEquals(0, scored.filter(col(CustomerScores.PAYMENT_ACTION).isNull()
        .or(col(CustomerScores.PAYMENT_ACTION_REASON_EN).isNull())).count());
    Row top = scored.orderBy(col(CustomerScores.PAYMENT_DEFAULT_PROBABILITY).desc()).first();
    List<Row> reasons = top.getList(top.fieldIndex(CustomerScores.PAYMENT_REASONS));
    assertFalse(reasons.isEmpty());
    assertEquals("raises", reasons.get(0).getString(reasons.get(0).fieldIndex("direction")));
    assertNotNull(top.getString(top.fieldIndex(CustomerScores.PAYMENT_REASONS_EN)));
    assertTrue(top.getString(top.fieldIndex(CustomerScores.PAYMENT_REASONS_EN)).contains("(typical: "), top.toString());
    // A feature whose label has a sentence reads as that sentence, never as "noun: value" or a raw template.
    int sentences = 0;
    for (Row customer : scored.select(CustomerScores.PAYMENT_REASONS).collectAsList()) {
      for (Row reason : customer.<Row>getList(0)) {
        String text = reason.getString(reason.fieldIndex(CustomerScores.Reason.TEXT_EN));
        String label = PaymentWording.labels("EUR").label(reason.getString(reason.fieldIndex(CustomerScores.Reason.FEATURE)))
            .en();
        assertFalse(text.contains("|") || text.contains("{0}"), text);
        if (ReasonWording.sentence(label, 0) != null && !reason.isNullAt(reason.fieldIndex(CustomerScores.Reason.VALUE))) {
          assertFalse(text.startsWith(ReasonWording.noun(label) + ":"), text);
          sentences++;
        }
      }
    }
    assertTrue(sentences > 0, "no reason of the sample reads as a sentence");
    assertEquals(version, top.getString(top.fieldIndex(CustomerScores.PAYMENT_MODEL_VERSION)));

    Dataset<Row> scores = read(Output.CUSTOMER_SCORES);
    assertEquals(List.of(CustomerScores.SCHEMA.fieldNames()), List.of(scores.columns()));
    assertEquals(customers.count(), scores.filter(col(CustomerScores.PAYMENT_EXPOSURE).isNotNull()).count());
    Row same = scores.filter(col(CustomerScores.CUSTOMER_ID).equalTo(top.getString(0))).first();
    assertEquals(top.getDouble(top.fieldIndex(CustomerScores.PAYMENT_DEFAULT_PROBABILITY)),
        same.getDouble(same.fieldIndex(CustomerScores.PAYMENT_DEFAULT_PROBABILITY)), 1e-12);
    Row notInvoiced = scores.filter(col(CustomerScores.PAYMENT_EXPOSURE).isNull()).first();
    assertNull(notInvoiced.get(notInvoiced.fieldIndex(CustomerScores.PAYMENT_RISK_BAND)));
  }
}

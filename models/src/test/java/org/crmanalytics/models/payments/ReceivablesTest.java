package org.crmanalytics.models.payments;

import static org.crmanalytics.models.payments.ReceivablesFixture.D;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The receivables snapshot at D on the hand-built {@link ReceivablesFixture}, value by value. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ReceivablesTest {

  private static String value(Object v) {
    if (v instanceof BigDecimal b) {
      return b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
    }
    if (v instanceof Double x) {
      return String.format(java.util.Locale.ROOT, "%.6f", x);
    }
    return String.valueOf(v);
  }

  /** Each row as "col=value ..." keyed by its first column, sorted. */
  static Map<String, String> rows(Dataset<Row> df) {
    Map<String, String> out = new java.util.TreeMap<>();
    String[] names = df.columns();
    for (Row r : df.collectAsList()) {
      StringBuilder b = new StringBuilder();
      for (int i = 1; i < names.length; i++) {
        b.append(i > 1 ? " " : "").append(names[i]).append('=').append(value(r.get(i)));
      }
      out.put(r.getString(0), b.toString());
    }
    return out;
  }

  private static Map<String, String> invoices(Map<String, Dataset<Row>> silver) {
    return rows(Receivables.invoicesAt(silver, D)
        .select("invoice_id", "open_amount", "days_past_due", "ageing_bucket", "dunning_level", "written_off"));
  }

  @Test
  void eachInvoiceIssuedByDHasItsOpenAmountDaysPastDueBucketDunningLevelAndWriteOff(SparkSession spark) {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("I1", "open_amount=200 days_past_due=150 ageing_bucket=over_90 dunning_level=2 written_off=false");
    expected.put("I2", "open_amount=0 days_past_due=0 ageing_bucket=paid dunning_level=0 written_off=false");
    expected.put("I3", "open_amount=150 days_past_due=0 ageing_bucket=not_due dunning_level=0 written_off=false");
    expected.put("I4", "open_amount=100 days_past_due=46 ageing_bucket=31-60 dunning_level=1 written_off=false");
    expected.put("J1", "open_amount=0 days_past_due=0 ageing_bucket=paid dunning_level=0 written_off=false");
    expected.put("J2", "open_amount=50 days_past_due=91 ageing_bucket=over_90 dunning_level=0 written_off=false");
    expected.put("J3", "open_amount=0 days_past_due=0 ageing_bucket=paid dunning_level=0 written_off=false");
    expected.put("K1", "open_amount=500 days_past_due=29 ageing_bucket=1-30 dunning_level=0 written_off=true");
    expected.put("L1", "open_amount=500 days_past_due=0 ageing_bucket=not_due dunning_level=0 written_off=false");
    expected.put("M1", "open_amount=500 days_past_due=0 ageing_bucket=not_due dunning_level=0 written_off=false");
    expected.put("N1", "open_amount=80 days_past_due=30 ageing_bucket=1-30 dunning_level=0 written_off=false");
    assertEquals(new java.util.TreeMap<>(expected), invoices(ReceivablesFixture.known(spark)));
    assertEquals(Receivables.INVOICE_SCHEMA.simpleString(),
        Receivables.invoicesAt(ReceivablesFixture.known(spark), D).schema().simpleString());
  }

  @Test
  void customerFeaturesAtDAreExact(SparkSession spark) {
    Map<String, String> got = rows(Receivables.customersAt(ReceivablesFixture.known(spark), D, ReceivablesSettings.DEFAULT));
    assertEquals("open_receivables=450 overdue_receivables=300 overdue_1_30=0 overdue_31_60=100 overdue_61_90=0 "
        + "overdue_over_90=200 max_days_past_due=150 open_orders=80 exposure=530 share_paid_late_3m=0.500000 "
        + "share_paid_late_12m=0.666667 weighted_days_late_3m=-2.000000 weighted_days_late_12m=74.000000 "
        + "days_late_trend=-76.000000 skonto_share_3m=0.500000 skonto_share_prev_12m=0.000000 skonto_change=0.500000 "
        + "partial_payments_12m=1 days_since_last_payment=56 credit_limit_utilisation=0.530000 dunning_level_max=2 "
        + "dunning_notices_12m=3 invoice_complaints_12m=1 order_value_3m_vs_12m=2.072289", got.get("C1"), "C1");
    assertEquals("open_receivables=50 overdue_receivables=50 overdue_1_30=0 overdue_31_60=0 overdue_61_90=0 "
        + "overdue_over_90=50 max_days_past_due=91 open_orders=0 exposure=50 share_paid_late_3m=1.000000 "
        + "share_paid_late_12m=1.000000 weighted_days_late_3m=91.000000 weighted_days_late_12m=64.500000 "
        + "days_late_trend=26.500000 skonto_share_3m=0.000000 skonto_share_prev_12m=0.000000 skonto_change=0.000000 "
        + "partial_payments_12m=1 days_since_last_payment=36 credit_limit_utilisation=null dunning_level_max=0 "
        + "dunning_notices_12m=0 invoice_complaints_12m=0 order_value_3m_vs_12m=null", got.get("C2"), "C2");
    // Only a credit note: a row, nothing open, nothing exposed.
    assertEquals("open_receivables=0 overdue_receivables=0 overdue_1_30=0 overdue_31_60=0 overdue_61_90=0 "
        + "overdue_over_90=0 max_days_past_due=0 open_orders=0 exposure=0 share_paid_late_3m=null "
        + "share_paid_late_12m=null weighted_days_late_3m=null weighted_days_late_12m=null days_late_trend=null "
        + "skonto_share_3m=null skonto_share_prev_12m=null skonto_change=null partial_payments_12m=0 "
        + "days_since_last_payment=null credit_limit_utilisation=null dunning_level_max=0 dunning_notices_12m=0 "
        + "invoice_complaints_12m=0 order_value_3m_vs_12m=null", got.get("C3"), "C3");
    assertEquals(List.of("C1", "C2", "C3", "C4", "C5", "C6", "C8"), List.copyOf(got.keySet()));
    assertEquals(Receivables.CUSTOMER_SCHEMA.simpleString(),
        Receivables.customersAt(ReceivablesFixture.known(spark), D, ReceivablesSettings.DEFAULT).schema().simpleString());
  }

  @Test
  void nothingDatedAfterDChangesTheSnapshotAtD(SparkSession spark) {
    Map<String, Dataset<Row>> known = ReceivablesFixture.known(spark);
    Map<String, Dataset<Row>> later = ReceivablesFixture.withFuture(spark);
    // The future does change things after D (so the comparison below is not vacuous).
    assertTrue(rows(Receivables.invoicesAt(later, D.plusMonths(2))).containsKey("I9"));
    assertEquals(rows(Receivables.invoicesAt(known, D)), rows(Receivables.invoicesAt(later, D)));
    assertEquals(rows(Receivables.customersAt(known, D, ReceivablesSettings.DEFAULT)),
        rows(Receivables.customersAt(later, D, ReceivablesSettings.DEFAULT)));
    assertEquals(rows(PaymentDefaultLabels.inDefaultAt(known, D, PaymentDefaultDefinition.DEFAULT).selectExpr(
            "customer_id", "1 AS x")),
        rows(PaymentDefaultLabels.inDefaultAt(later, D, PaymentDefaultDefinition.DEFAULT).selectExpr(
            "customer_id", "1 AS x")));
  }

  @Test
  void anOverpaymentLeavesNothingOpenAndNeverANegativeAmount(SparkSession spark) {
    // J3: 60 invoiced, 80 paid.
    assertTrue(invoices(ReceivablesFixture.known(spark)).get("J3").startsWith("open_amount=0 "));
    long negative = Receivables.invoicesAt(ReceivablesFixture.withFuture(spark), D.plusMonths(6))
        .filter("open_amount < 0").count();
    assertEquals(0, negative, "open amounts below zero after the 1000 on account");
  }

  @Test
  void creditNotesAreNeitherInvoiceRowsNorExposure(SparkSession spark) {
    Map<String, String> got = invoices(ReceivablesFixture.known(spark));
    assertFalse(got.containsKey("CN1"));
    assertFalse(got.containsKey("CN3"));
    String c3 = rows(Receivables.customersAt(ReceivablesFixture.known(spark), D, ReceivablesSettings.DEFAULT)).get("C3");
    assertTrue(c3.contains(" exposure=0 "), c3);
  }

  @Test
  void aPaymentDatedBeforeItsInvoiceCountsOnceTheInvoiceIsIssued(SparkSession spark) {
    // Q2 pays J3 on 25 May; J3 is dated 1 June.
    Map<String, Dataset<Row>> silver = ReceivablesFixture.known(spark);
    assertFalse(invoices(silver).isEmpty());
    Map<String, String> before = rows(Receivables.invoicesAt(silver, java.time.LocalDate.parse("2025-05-31"))
        .select("invoice_id", "open_amount"));
    assertFalse(before.containsKey("J3"), "J3 is not issued yet on 31 May");
    assertEquals("open_amount=0", rows(Receivables.invoicesAt(silver, java.time.LocalDate.parse("2025-06-01"))
        .select("invoice_id", "open_amount")).get("J3"));
  }

  @Test
  void aPaymentOnAccountSettlesTheOldestInvoicesFirst(SparkSession spark) {
    Map<String, String> got = rows(Receivables.invoicesAt(ReceivablesFixture.known(spark),
        java.time.LocalDate.parse("2025-04-10")).select("invoice_id", "open_amount"));
    assertEquals("open_amount=0", got.get("J1"));
    assertEquals("open_amount=50", got.get("J2"));
    Map<String, String> dayBefore = rows(Receivables.invoicesAt(ReceivablesFixture.known(spark),
        java.time.LocalDate.parse("2025-04-09")).select("invoice_id", "open_amount"));
    assertEquals("open_amount=100", dayBefore.get("J1"));
  }

  @Test
  void withoutDunningNoticesTheUndatedLevelCountsOnlyForInvoicesAlreadyDue(SparkSession spark) {
    Map<String, Dataset<Row>> silver = new HashMap<>(ReceivablesFixture.known(spark));
    assertTrue(Receivables.dunningPointInTime(silver));
    silver.remove("dunning_notices");
    assertFalse(Receivables.dunningPointInTime(silver));
    Map<String, String> got = rows(Receivables.invoicesAt(silver, D).select("invoice_id", "dunning_level"));
    assertEquals("dunning_level=3", got.get("I1"));
    assertEquals("dunning_level=0", got.get("I3"), "I3 is not due at D: its undated level 1 is ignored");
    assertEquals("dunning_level=2", got.get("I4"));
    String c1 = rows(Receivables.customersAt(silver, D, ReceivablesSettings.DEFAULT)).get("C1");
    assertTrue(c1.contains(" dunning_level_max=3 dunning_notices_12m=null "), c1);
  }

  @Test
  void withoutPaymentsEveryInvoiceIsOpenInFull(SparkSession spark) {
    Map<String, Dataset<Row>> silver = new HashMap<>(ReceivablesFixture.known(spark));
    silver.remove("payments");
    Map<String, String> got = rows(Receivables.invoicesAt(silver, D).select("invoice_id", "open_amount"));
    assertEquals("open_amount=300", got.get("I1"));
    assertEquals("open_amount=200", got.get("I2"));
    assertEquals("open_amount=60", got.get("J3"));
    String c1 = rows(Receivables.customersAt(silver, D, ReceivablesSettings.DEFAULT)).get("C1");
    assertTrue(c1.startsWith("open_receivables=750 "), c1);
    assertTrue(c1.contains(" days_since_last_payment=null "), c1);
  }

  @Test
  void theSkontoDaysAndComplaintCategoriesAreSettings(SparkSession spark) {
    // I2 was paid 4 days after its invoice date: no Skonto with 3 days; only "Lieferung" as complaint.
    String c1 = rows(Receivables.customersAt(ReceivablesFixture.known(spark), D,
        new ReceivablesSettings(3, List.of("Lieferung")))).get("C1");
    assertTrue(c1.contains(" skonto_share_3m=0.000000 "), c1);
    assertTrue(c1.contains(" invoice_complaints_12m=1 "), c1);
  }

  @Test
  void receivablesNeedTheInvoicesTable() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Receivables.invoicesAt(Map.of(), D));
    assertEquals("receivables need the silver table invoices", e.getMessage());
  }

  static String ids(Dataset<Row> df) {
    return df.collectAsList().stream().map(r -> r.getString(0)).sorted().collect(Collectors.joining(","));
  }
}

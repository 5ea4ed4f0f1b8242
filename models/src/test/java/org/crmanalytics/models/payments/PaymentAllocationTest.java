package org.crmanalytics.models.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.payments.PaymentAllocation.Allocation;
import org.crmanalytics.models.payments.PaymentAllocation.Invoice;
import org.crmanalytics.models.payments.PaymentAllocation.Payment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Payments on account allocated oldest first, by hand-built invoices and payments. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class PaymentAllocationTest {
  private static LocalDate d(String s) {
    return LocalDate.parse(s);
  }

  private static BigDecimal m(String s) {
    return new BigDecimal(s);
  }

  private static String shown(List<Allocation> out) {
    StringBuilder b = new StringBuilder();
    for (Allocation a : out) {
      b.append(a.paymentId()).append('>').append(a.invoiceId() == null ? "credit" : a.invoiceId()).append(' ')
          .append(a.paidAt()).append(' ').append(a.amount().stripTrailingZeros().toPlainString()).append('\n');
    }
    return b.toString();
  }

  @Test
  void aPaymentOnAccountSettlesTheOldestDueInvoicesFirstAndKeepsTheRestAsCredit() {
    List<Invoice> invoices = List.of(
        new Invoice("I3", d("2024-03-01"), d("2024-03-31"), m("50")),
        new Invoice("I1", d("2024-01-10"), d("2024-02-09"), m("100")),
        new Invoice("I2", d("2024-01-05"), d("2024-02-09"), m("80")), // same due date, invoiced earlier
        new Invoice("I4", d("2024-06-01"), d("2024-07-01"), m("70")), // issued after the payment
        new Invoice("CN", d("2024-01-20"), d("2024-01-20"), m("-30"))); // a credit note receives nothing
    List<Payment> payments = List.of(
        new Payment("P1", "I1", d("2024-02-01"), m("40")),  // part of I1 by its number
        new Payment("P2", null, d("2024-04-15"), m("250.5"))); // a bank transfer without invoice number
    assertEquals("""
        P1>I1 2024-02-01 40
        P2>I2 2024-04-15 80
        P2>I1 2024-04-15 60
        P2>I3 2024-04-15 50
        P2>credit 2024-04-15 60.5
        """, shown(PaymentAllocation.allocate(invoices, payments)));
  }

  @Test
  void onlyWhatWasOpenOnThePaymentDateIsAllocatedPaymentsInDateOrder() {
    List<Invoice> invoices = List.of(
        new Invoice("I1", d("2024-01-01"), d("2024-01-31"), m("100")),
        new Invoice("I2", d("2024-02-01"), d("2024-02-29"), m("100")));
    List<Payment> payments = List.of(
        new Payment("P3", "I1", d("2024-03-10"), m("100")), // I1 paid by number later: overpaid then
        new Payment("P1", null, d("2024-01-15"), m("30")),   // only I1 was issued on 15 Jan
        new Payment("P2", null, d("2024-02-10"), m("100")));
    assertEquals("""
        P1>I1 2024-01-15 30
        P2>I1 2024-02-10 70
        P2>I2 2024-02-10 30
        P3>I1 2024-03-10 100
        """, shown(PaymentAllocation.allocate(invoices, payments)));
  }

  @Test
  void aRefundOnAccountStaysACredit() {
    List<Allocation> out = PaymentAllocation.allocate(
        List.of(new Invoice("I1", d("2024-01-01"), d("2024-01-31"), m("100"))),
        List.of(new Payment("R1", null, d("2024-02-01"), m("-20"))));
    assertEquals("R1>credit 2024-02-01 -20\n", shown(out));
  }

  @Test
  void overTablesEachCustomersPaymentsMeetOnlyTheirOwnInvoices(SparkSession spark) {
    Dataset<Row> invoices = spark.sql("""
        SELECT * FROM VALUES
          ('I1', 'C1', DATE'2024-01-01', DATE'2024-01-31', CAST(100 AS DECIMAL(18,4))),
          ('I2', 'C2', DATE'2023-01-01', DATE'2023-01-31', CAST(100 AS DECIMAL(18,4)))
        AS t(invoice_id, customer_id, invoice_date, due_date, amount)""");
    Dataset<Row> payments = spark.sql("""
        SELECT * FROM VALUES
          ('P1', CAST(NULL AS STRING), 'C1', DATE'2024-02-01', CAST(150 AS DECIMAL(18,4))),
          ('P2', 'I2', CAST(NULL AS STRING), DATE'2023-02-01', CAST(60 AS DECIMAL(18,4)))
        AS t(payment_id, invoice_id, customer_id, paid_at, amount)""");
    List<String> rows = PaymentAllocation.allocate(invoices, payments)
        .orderBy("payment_id", "invoice_id").collectAsList().stream()
        .map(r -> r.getString(0) + ">" + r.getString(1) + " " + r.getString(2) + " "
            + r.getDecimal(4).stripTrailingZeros().toPlainString())
        .toList();
    assertEquals(List.of("P1>null C1 50", "P1>I1 C1 100", "P2>I2 C2 60"), rows);
  }
}

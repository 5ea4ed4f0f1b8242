package org.crmanalytics.models.payments;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.Contract.Invoices;
import org.crmanalytics.models.contract.Contract.Payments;

/**
 * Payments as they meet invoices. A payment that names its invoice settles that invoice. A payment
 * on account (a customer, no invoice: cheques, bank transfers without an invoice number) is
 * allocated to the customer's open invoices oldest first (due date, then invoice date, then
 * invoice number), counting only invoices issued by the payment's date and what was open on that
 * date; what is left over is kept as a credit (a row without invoice). Payments are taken in the
 * order of their dates, so an allocation never depends on anything dated after its payment: the
 * result is point-in-time correct for every as_of, and filtering it by {@code paid_at <= D} gives
 * the payments known at D. docs/data-contract.md describes the rule.
 */
public final class PaymentAllocation {
  private PaymentAllocation() {}

  /** An invoice as the allocation sees it. */
  public record Invoice(String invoiceId, LocalDate invoiceDate, LocalDate dueDate, BigDecimal amount) {}

  /** A payment; {@code invoiceId} null for a payment on account. */
  public record Payment(String paymentId, String invoiceId, LocalDate paidAt, BigDecimal amount) {}

  /** A part of a payment applied to one invoice, or a credit ({@code invoiceId} null). */
  public record Allocation(String paymentId, String invoiceId, LocalDate paidAt, BigDecimal amount) {}

  /**
   * The allocation of one customer's payments to their invoices (pure; amounts exact). Credit
   * notes (amounts not above zero) receive nothing; a payment on account that is not above zero
   * (a refund) stays a credit of its own.
   */
  public static List<Allocation> allocate(List<Invoice> invoices, List<Payment> payments) {
    Map<String, BigDecimal> open = new LinkedHashMap<>();
    for (Invoice i : invoices) {
      open.put(i.invoiceId(), i.amount());
    }
    List<Invoice> oldestFirst = invoices.stream()
        .filter(i -> i.amount().signum() > 0)
        .sorted(Comparator.comparing(Invoice::dueDate).thenComparing(Invoice::invoiceDate)
            .thenComparing(Invoice::invoiceId))
        .toList();
    // Same day: payments naming an invoice first (they say what they settle), then by number.
    List<Payment> inOrder = payments.stream()
        .sorted(Comparator.comparing(Payment::paidAt).thenComparing(p -> p.invoiceId() == null)
            .thenComparing(Payment::paymentId))
        .toList();
    List<Allocation> out = new ArrayList<>();
    for (Payment p : inOrder) {
      if (p.invoiceId() != null) {
        out.add(new Allocation(p.paymentId(), p.invoiceId(), p.paidAt(), p.amount()));
        open.computeIfPresent(p.invoiceId(), (k, v) -> v.subtract(p.amount()));
        continue;
      }
      BigDecimal left = p.amount();
      for (Invoice i : oldestFirst) {
        if (left.signum() <= 0) {
          break;
        }
        BigDecimal due = open.get(i.invoiceId());
        if (i.invoiceDate().isAfter(p.paidAt()) || due.signum() <= 0) {
          continue;
        }
        BigDecimal applied = due.min(left);
        out.add(new Allocation(p.paymentId(), i.invoiceId(), p.paidAt(), applied));
        open.put(i.invoiceId(), due.subtract(applied));
        left = left.subtract(applied);
      }
      if (left.signum() != 0) {
        out.add(new Allocation(p.paymentId(), null, p.paidAt(), left));
      }
    }
    return out;
  }

  /** The schema of {@link #allocate(Dataset, Dataset)}'s result. */
  public static final StructType SCHEMA = new StructType()
      .add(Payments.PAYMENT_ID, DataTypes.StringType, false)
      .add(Payments.INVOICE_ID, DataTypes.StringType, true)
      .add(Payments.CUSTOMER_ID, DataTypes.StringType, true)
      .add(Payments.PAID_AT, DataTypes.DateType, false)
      .add(Payments.AMOUNT, Contract.MONEY, false);

  private static final String CUSTOMER = "_customer";
  private static final String IS_INVOICE = "_is_invoice";

  /**
   * The allocation over whole tables: silver invoices and payments in, one row per allocated part
   * (payment_id, invoice_id (null for a credit), customer_id, paid_at, amount) out. A payment whose
   * invoice is not among {@code invoices} is kept as it is. Without payments on account (or without
   * the customer_id column) the payments come back unchanged, without a shuffle.
   */
  public static Dataset<Row> allocate(Dataset<Row> invoices, Dataset<Row> payments) {
    boolean hasCustomer = List.of(payments.columns()).contains(Payments.CUSTOMER_ID);
    Dataset<Row> direct = payments.select(col(Payments.PAYMENT_ID), col(Payments.INVOICE_ID),
        hasCustomer ? col(Payments.CUSTOMER_ID) : lit(null).cast("string").as(Payments.CUSTOMER_ID),
        col(Payments.PAID_AT), col(Payments.AMOUNT).cast(Contract.MONEY).as(Payments.AMOUNT));
    if (!hasCustomer) {
      return direct;
    }
    // One row per event, keyed by customer: the invoices, and the payments with the customer
    // their invoice names (or their own, on account).
    Dataset<Row> bills = invoices.select(col(Invoices.CUSTOMER_ID).as(CUSTOMER), lit(true).as(IS_INVOICE),
        lit(null).cast("string").as(Payments.PAYMENT_ID), col(Invoices.INVOICE_ID),
        col(Invoices.INVOICE_DATE).as("_date"), col(Invoices.DUE_DATE),
        col(Invoices.AMOUNT).cast(Contract.MONEY).as(Payments.AMOUNT));
    Dataset<Row> owners = invoices.select(col(Invoices.INVOICE_ID).as("_owned"), col(Invoices.CUSTOMER_ID).as("_owner"));
    Dataset<Row> paid = direct.join(owners, direct.col(Payments.INVOICE_ID).equalTo(owners.col("_owned")), "left")
        .select(coalesce(col("_owner"), col(Payments.CUSTOMER_ID), col(Payments.INVOICE_ID)).as(CUSTOMER),
            lit(false).as(IS_INVOICE), col(Payments.PAYMENT_ID), col(Payments.INVOICE_ID),
            col(Payments.PAID_AT).as("_date"), lit(null).cast("date").as(Invoices.DUE_DATE), col(Payments.AMOUNT));
    Dataset<Row> events = bills.unionByName(paid);
    return events
        .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
        .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) PaymentAllocation::allocateGroup, Encoders.row(SCHEMA));
  }

  private static Iterator<Row> allocateGroup(String customer, Iterator<Row> events) {
    List<Invoice> invoices = new ArrayList<>();
    List<Payment> payments = new ArrayList<>();
    while (events.hasNext()) {
      Row r = events.next();
      LocalDate date = r.<java.sql.Date>getAs("_date").toLocalDate();
      BigDecimal amount = r.getAs(Payments.AMOUNT);
      if (r.<Boolean>getAs(IS_INVOICE)) {
        invoices.add(new Invoice(r.getAs(Invoices.INVOICE_ID), date,
            r.<java.sql.Date>getAs(Invoices.DUE_DATE).toLocalDate(), amount));
      } else {
        payments.add(new Payment(r.getAs(Payments.PAYMENT_ID), r.getAs(Payments.INVOICE_ID), date, amount));
      }
    }
    List<Row> out = new ArrayList<>();
    for (Allocation a : allocate(invoices, payments)) {
      out.add(RowFactory.create(a.paymentId(), a.invoiceId(), customer, java.sql.Date.valueOf(a.paidAt()), a.amount()));
    }
    return out.iterator();
  }
}

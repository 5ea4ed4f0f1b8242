package org.crmanalytics.tools.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The dated dunning trail and the signs of a coming default, checked on the simulated lives
 * themselves (no Spark): reminders match the dunning level and stop once an invoice is paid;
 * only defaulters' open invoices are written off; defaulting Skonto payers give up the discount
 * and stock up on credit before they default; and nobody else's rows changed when these signs
 * were planted.
 */
@Tag("unit")
class GenerateDefaultPrecursorsTest {
  private static final int CUSTOMERS = 6000;
  private static final LocalDate END = GeneratedCompany.END;

  /**
   * SHA-256 over the rows of every pre-existing per-customer table of the non-defaulters among
   * the first 400 customers (seed 42, 3 years). The dunning notices, write-offs and default
   * precursors left it unchanged; it was taken anew when the cross-sell adoption process
   * (GroupAdoption) was added, which changes every customer's orders. Change it only for an
   * intended change of the data.
   */
  private static final String NON_DEFAULTER_FINGERPRINT =
      "29c20d2522123bd2a0af4b1c8e97026c78270814959748b92be164ec3829dc7c";

  private static CompanyModel model;
  private static final List<CustomerLife> LIVES = new ArrayList<>();

  @BeforeAll
  static void simulate() {
    model = CompanyModel.build(42, CUSTOMERS, 3, END);
    for (long i = 0; i < CUSTOMERS; i++) {
      LIVES.add(CustomerLife.of(model, i));
    }
  }

  private static List<Row> rows(TableRows.PerCustomerTable table, CustomerLife life) {
    List<Row> out = new ArrayList<>();
    table.emit(life, out);
    return out;
  }

  private static LocalDate date(CustomerLife life, int day) {
    return TableRows.date(life.model(), day);
  }

  /** Payments per invoice id, in payment order. */
  private static Map<String, List<Row>> paymentsByInvoice(CustomerLife life) {
    Map<String, List<Row>> byInvoice = new HashMap<>();
    for (Row p : rows(TableRows.PerCustomerTable.PAYMENTS, life)) {
      byInvoice.computeIfAbsent(p.getString(1), k -> new ArrayList<>()).add(p);
    }
    return byInvoice;
  }

  /** The day the payments reach the invoice amount, or null if they never do. */
  private static LocalDate settledOn(Row invoice, List<Row> payments) {
    BigDecimal paid = BigDecimal.ZERO;
    for (Row p : payments) {
      paid = paid.add((BigDecimal) p.get(4));
      if (paid.compareTo((BigDecimal) invoice.get(5)) >= 0) {
        return (LocalDate) p.get(3);
      }
    }
    return null;
  }

  @Test
  void remindersMatchTheDunningLevelAndStopOncePaid() {
    long notices = 0;
    for (CustomerLife life : LIVES) {
      Map<String, List<Row>> byInvoice = new HashMap<>();
      for (Row n : rows(TableRows.PerCustomerTable.DUNNING_NOTICES, life)) {
        byInvoice.computeIfAbsent(n.getString(0), k -> new ArrayList<>()).add(n);
      }
      Map<String, List<Row>> payments = paymentsByInvoice(life);
      for (Row invoice : rows(TableRows.PerCustomerTable.INVOICES, life)) {
        String id = invoice.getString(0);
        List<Row> sent = byInvoice.getOrDefault(id, List.of());
        assertEquals(invoice.getInt(6), sent.size(), id + ": one notice per dunning level");
        LocalDate due = (LocalDate) invoice.get(4);
        LocalDate settled = settledOn(invoice, payments.getOrDefault(id, List.of()));
        for (int k = 0; k < sent.size(); k++) {
          Row n = sent.get(k);
          LocalDate at = (LocalDate) n.get(2);
          assertEquals(k + 1, n.getInt(1), id + " levels 1, 2, ... in order");
          assertEquals(due.plusDays(14L * (k + 1)), at, id + " reminder " + (k + 1));
          assertTrue(!at.isAfter(END), id + " reminder after the end of the history");
          assertTrue(settled == null || at.isBefore(settled),
              id + " reminder " + at + " on or after the invoice was settled on " + settled);
        }
        notices += sent.size();
      }
    }
    assertTrue(notices > 500, "enough reminders to check: " + notices);
  }

  @Test
  void onlyDefaultersOpenInvoicesAreWrittenOff() {
    long writtenOff = 0;
    long defaulterOpen = 0;
    for (CustomerLife life : LIVES) {
      Map<String, List<Row>> payments = paymentsByInvoice(life);
      for (Row invoice : rows(TableRows.PerCustomerTable.INVOICES, life)) {
        LocalDate at = (LocalDate) invoice.get(7);
        String id = invoice.getString(0);
        List<Row> paid = payments.getOrDefault(id, List.of());
        if (life.profile.defaults() && ((BigDecimal) invoice.get(5)).signum() > 0
            && settledOn(invoice, paid) == null) {
          defaulterOpen++;
        }
        if (at == null) {
          continue;
        }
        writtenOff++;
        assertTrue(life.profile.defaults(), id + " written off for a customer who never defaults");
        assertNull(settledOn(invoice, paid), id + " written off although paid in full");
        for (Row p : paid) {
          assertTrue(((LocalDate) p.get(3)).isBefore(at), id + " paid after its write-off");
        }
        long daysLate = ChronoUnit.DAYS.between((LocalDate) invoice.get(4), at);
        assertTrue(daysLate >= 120 && daysLate <= 240,
            id + " written off " + daysLate + " days late");
        assertTrue(!at.isAfter(END), id + " written off after the end of the history");
        assertTrue(at.getDayOfWeek() != DayOfWeek.SATURDAY && at.getDayOfWeek() != DayOfWeek.SUNDAY,
            id + " written off on a weekend");
      }
    }
    assertTrue(writtenOff >= 50, "enough write-offs to check: " + writtenOff);
    assertTrue(writtenOff < defaulterOpen, "not every open invoice is old enough: " + writtenOff
        + " of " + defaulterOpen);
  }

  @Test
  void defaultingSkontoPayersGiveUpTheDiscount() {
    long[] recent = new long[2];
    long[] earlier = new long[2];
    for (CustomerLife life : LIVES) {
      if (!life.profile.defaults()
          || life.profile.payerType != CustomerProfile.PayerType.SKONTO) {
        continue;
      }
      LocalDate defaultDate = date(life, life.profile.defaultDay);
      Map<String, List<Row>> payments = paymentsByInvoice(life);
      for (Row invoice : rows(TableRows.PerCustomerTable.INVOICES, life)) {
        if (((BigDecimal) invoice.get(5)).signum() <= 0) {
          continue;
        }
        LocalDate issued = (LocalDate) invoice.get(3);
        long before = ChronoUnit.DAYS.between(issued, defaultDate);
        List<Row> paid = payments.getOrDefault(invoice.getString(0), List.of());
        boolean skonto = paid.size() == 1
            && ChronoUnit.DAYS.between(issued, (LocalDate) paid.get(0).get(3)) <= 14;
        long[] bucket = before >= 0 && before < 120 ? recent
            : before >= 270 && before < 720 ? earlier : null;
        if (bucket != null) {
          bucket[0] += skonto ? 1 : 0;
          bucket[1]++;
        }
      }
    }
    assertTrue(recent[1] >= 30 && earlier[1] >= 30,
        "enough invoices: " + recent[1] + " recent, " + earlier[1] + " earlier");
    double recentShare = recent[0] / (double) recent[1];
    double earlierShare = earlier[0] / (double) earlier[1];
    assertTrue(earlierShare > 0.6, "Skonto taken a year and more before default: " + earlierShare);
    assertTrue(recentShare < 0.5 * earlierShare, "Skonto taken in the 4 months before default "
        + recentShare + " vs earlier " + earlierShare);
  }

  @Test
  void defaultersStockUpOnCreditBeforeTheyDefault() {
    List<Double> ratios = new ArrayList<>();
    int nearLimit = 0;
    int defaulters = 0;
    for (CustomerLife life : LIVES) {
      if (!life.profile.defaults()) {
        continue;
      }
      defaulters++;
      int defaultDay = life.profile.defaultDay;
      double recentValue = 0;
      long recentOrders = 0;
      double earlierValue = 0;
      long earlierOrders = 0;
      for (LifeEvents.Order o : life.orders()) {
        if (o.isReturn()) {
          continue;
        }
        int before = defaultDay - o.day;
        if (before >= 0 && before < 75) {
          recentValue += o.netE4();
          recentOrders++;
        } else if (before >= 365) {
          earlierValue += o.netE4();
          earlierOrders++;
        }
      }
      if (recentOrders > 0 && earlierOrders >= 3) {
        ratios.add((recentValue / recentOrders) / (earlierValue / earlierOrders));
      }
      long openE4 = 0;
      for (LifeEvents.Invoice i : life.invoices()) {
        if (i.day > defaultDay) {
          continue;
        }
        long paid = 0;
        for (LifeEvents.Payment p : i.payments) {
          paid += p.day() <= defaultDay ? p.amountE4() : 0;
        }
        openE4 += i.amountE4 - paid;
      }
      if (openE4 >= 0.6 * life.profile.creditLimitEuro * 10_000) {
        nearLimit++;
      }
    }
    assertTrue(defaulters >= 50, "enough defaulters: " + defaulters);
    assertTrue(ratios.size() >= 30, "enough defaulters with orders to compare: " + ratios.size());
    ratios.sort(null);
    double median = ratios.get(ratios.size() / 2);
    assertTrue(median > 1.4, "median ratio of the mean order value in the last 75 days before "
        + "default to that a year and more before: " + median);
    assertTrue(nearLimit > 0.6 * defaulters, "defaulters with open receivables of at least 60 % "
        + "of their credit limit on the default day: " + nearLimit + " of " + defaulters);
  }

  @Test
  void nonDefaultersKeepTheirRows() throws NoSuchAlgorithmException {
    CompanyModel small = CompanyModel.build(42, 400, 3, END);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    List<Row> rows = new ArrayList<>();
    for (long i = 0; i < 400; i++) {
      CustomerLife life = CustomerLife.of(small, i);
      if (life.profile.defaults()) {
        continue;
      }
      for (TableRows.PerCustomerTable table : TableRows.PerCustomerTable.values()) {
        if (table == TableRows.PerCustomerTable.DUNNING_NOTICES) {
          continue; // new: not in the fingerprint
        }
        rows.clear();
        table.emit(life, rows);
        for (Row row : rows) {
          sha.update((table.tableName + row).getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    assertEquals(NON_DEFAULTER_FINGERPRINT, HexFormat.of().formatHex(sha.digest()),
        "non-defaulters' rows changed");
  }
}

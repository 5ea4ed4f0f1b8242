package org.crmanalytics.tools.generate;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.tools.generate.CustomerProfile.ChurnCause;
import org.crmanalytics.tools.generate.LifeEvents.Activity;
import org.crmanalytics.tools.generate.LifeEvents.Invoice;
import org.crmanalytics.tools.generate.LifeEvents.Line;
import org.crmanalytics.tools.generate.LifeEvents.Membership;
import org.crmanalytics.tools.generate.LifeEvents.Offer;
import org.crmanalytics.tools.generate.LifeEvents.Order;
import org.crmanalytics.tools.generate.LifeEvents.Payment;
import org.crmanalytics.tools.generate.LifeEvents.Ticket;

/**
 * Turns a simulated customer life into rows of the contract tables (and of the ground truth),
 * column by column in contract order. Dates are {@link LocalDate}, timestamps {@link Instant}
 * (UTC), money {@link BigDecimal} with 4 decimals.
 */
final class TableRows {
  private TableRows() {}

  /** The tables generated customer by customer on the executors. */
  enum PerCustomerTable {
    CUSTOMERS(Contract.Customers.NAME, 1, TableRows::customers),
    SALES(Contract.Sales.NAME, 25, TableRows::sales),
    INVOICES(Contract.Invoices.NAME, 8, TableRows::invoices),
    DUNNING_NOTICES(Contract.DunningNotices.NAME, 1, TableRows::dunningNotices),
    PAYMENTS(Contract.Payments.NAME, 8, TableRows::payments),
    ACTIVITIES(Contract.Activities.NAME, 25, TableRows::activities),
    OFFERS(Contract.Offers.NAME, 3, TableRows::offers),
    TICKETS(Contract.Tickets.NAME, 4, TableRows::tickets),
    CAMPAIGN_MEMBERS(Contract.CampaignMembers.NAME, 5, TableRows::campaignMembers),
    CUSTOMER_TRUTH(GroundTruth.CustomerTruth.NAME, 1, TableRows::customerTruth),
    GROUP_ADOPTION(GroundTruth.GroupAdoptionTruth.NAME, ProductGroups.count(),
        TableRows::groupAdoption);

    final String tableName;
    final StructType schema;
    /** Rough rows per customer in a 3-year history; sizes the output files. */
    final double rowsPerCustomer;
    private final transient BiConsumer<CustomerLife, List<Row>> emitter;

    PerCustomerTable(String tableName, double rowsPerCustomer,
        BiConsumer<CustomerLife, List<Row>> emitter) {
      this.tableName = tableName;
      this.schema = switch (tableName) {
        case GroundTruth.CustomerTruth.NAME -> GroundTruth.CustomerTruth.SCHEMA;
        case GroundTruth.GroupAdoptionTruth.NAME -> GroundTruth.GroupAdoptionTruth.SCHEMA;
        default -> contractSchema(tableName);
      };
      this.rowsPerCustomer = rowsPerCustomer;
      this.emitter = emitter;
    }

    void emit(CustomerLife life, List<Row> out) {
      emitter.accept(life, out);
    }

    boolean isGroundTruth() {
      return this == CUSTOMER_TRUTH || this == GROUP_ADOPTION;
    }
  }

  /**
   * A contract table's schema, looked up through {@link Contract#table} so that the Contract
   * class initialises before its nested table classes (reaching a nested class first leaves
   * Contract.TABLES holding a null and fails).
   */
  static StructType contractSchema(String tableName) {
    return Contract.table(tableName)
        .orElseThrow(() -> new IllegalStateException("no contract table " + tableName))
        .schema();
  }

  // ---- value conversions ----------------------------------------------------------------------

  private static CompanyModel model(CustomerLife life) {
    return life.model();
  }

  static LocalDate date(CompanyModel model, int day) {
    return LocalDate.ofEpochDay(model.calendar().firstEpochDay() + day);
  }

  static Instant timestamp(CompanyModel model, long second) {
    return second < 0 ? null
        : Instant.ofEpochSecond(model.calendar().firstEpochDay() * LifeEvents.SECONDS_PER_DAY
            + second);
  }

  static BigDecimal money(long e4) {
    return BigDecimal.valueOf(e4, 4);
  }

  // ---- tables ---------------------------------------------------------------------------------

  static void customers(CustomerLife life, List<Row> out) {
    CompanyModel model = model(life);
    CustomerProfile p = life.profile;
    out.add(RowFactory.create(
        p.id,
        p.companyName(model),
        Industries.ALL[p.industry].name(),
        p.region.name(),
        p.region.country(),
        p.postalCode,
        p.employees,
        p.segment.label,
        model.rep(p.rep).id(),
        p.channel.code,
        date(model, p.createdDay),
        BigDecimal.valueOf(p.creditLimitEuro)));
  }

  static void sales(CustomerLife life, List<Row> out) {
    CompanyModel model = model(life);
    String customer = life.profile.id;
    for (Order o : life.orders()) {
      LocalDate day = date(model, o.day);
      String type = o.isReturn() ? Contract.Sales.TYPE_RETURN : Contract.Sales.TYPE_ORDER;
      String original = o.isReturn() ? o.original.id : null;
      int lineNo = 0;
      for (Line l : o.lines) {
        lineNo++;
        out.add(RowFactory.create(
            o.id,
            lineNo,
            customer,
            day,
            model.product(l.product()).id(),
            BigDecimal.valueOf(l.quantity()),
            money(l.netE4()),
            money(l.costE4()),
            o.channel,
            type,
            original));
      }
    }
  }

  static void invoices(CustomerLife life, List<Row> out) {
    CompanyModel model = model(life);
    for (Invoice i : life.invoices()) {
      out.add(RowFactory.create(
          i.id,
          life.profile.id,
          i.order.id,
          date(model, i.day),
          date(model, i.dueDay),
          money(i.amountE4),
          i.dunningLevel,
          i.writtenOffDay < 0 ? null : date(model, i.writtenOffDay)));
    }
  }

  /** One row per reminder sent, consistent with {@code invoices.dunning_level}. */
  static void dunningNotices(CustomerLife life, List<Row> out) {
    CompanyModel model = model(life);
    for (Invoice i : life.invoices()) {
      for (int level = 1; level <= i.dunningLevel; level++) {
        out.add(RowFactory.create(i.id, level, date(model, i.reminderDays[level - 1])));
      }
    }
  }

  static void payments(CustomerLife life, List<Row> out) {
    CompanyModel model = model(life);
    for (Invoice i : life.invoices()) {
      for (Payment p : i.payments) {
        out.add(RowFactory.create(p.id(), i.id, null, date(model, p.day()), money(p.amountE4()))); // no payments on account
      }
    }
  }

  static void activities(CustomerLife life, List<Row> out) {
    CompanyModel model = model(life);
    for (Activity a : life.activities()) {
      out.add(RowFactory.create(
          a.id(),
          life.profile.id,
          model.rep(a.rep()).id(),
          a.type(),
          timestamp(model, a.second()),
          a.outcome(),
          a.notes()));
    }
  }

  static void offers(CustomerLife life, List<Row> out) {
    CompanyModel model = model(life);
    for (Offer o : life.offers()) {
      out.add(RowFactory.create(
          o.id(),
          life.profile.id,
          model.rep(o.rep()).id(),
          o.channel(),
          timestamp(model, o.leadSecond()),
          timestamp(model, o.qualifiedSecond()),
          timestamp(model, o.createdSecond()),
          o.stage(),
          o.amountE4() < 0 ? null : money(o.amountE4()),
          o.status(),
          timestamp(model, o.closedSecond()),
          o.lostReason()));
    }
  }

  static void tickets(CustomerLife life, List<Row> out) {
    CompanyModel model = model(life);
    for (Ticket t : life.tickets()) {
      out.add(RowFactory.create(
          t.id(),
          life.profile.id,
          t.type(),
          t.category(),
          t.priority(),
          timestamp(model, t.createdSecond()),
          timestamp(model, t.dueSecond()),
          timestamp(model, t.resolvedSecond()),
          t.description()));
    }
  }

  static void campaignMembers(CustomerLife life, List<Row> out) {
    CompanyModel model = model(life);
    for (Membership m : life.campaignMemberships()) {
      out.add(RowFactory.create(
          model.campaign(m.campaign()).id(),
          life.profile.id,
          date(model, m.addedDay()),
          m.respondedDay() < 0 ? null : date(model, m.respondedDay()),
          m.converted()));
    }
  }

  static void customerTruth(CustomerLife life, List<Row> out) {
    CompanyModel model = model(life);
    CustomerProfile p = life.profile;
    boolean churned = p.churned();
    out.add(RowFactory.create(
        p.id,
        churned,
        churned ? date(model, p.buyerEndDay) : null,
        switch (p.churnCause) {
          case NONE -> null;
          case SWITCHED -> "switched";
          case DEFAULT -> "default";
        },
        churned ? date(model, p.declineStartDay) : null,
        p.churnCause == ChurnCause.DEFAULT,
        p.defaults() ? date(model, p.defaultDay) : null,
        p.segment.label,
        round4(p.propensity),
        round4(p.satisfaction),
        round4(p.priceSensitivity),
        round4(p.engagement),
        p.payerType.name().toLowerCase(java.util.Locale.ROOT),
        round4(p.discount),
        round4(p.financialStress),
        round4(p.churnHazard),
        round4(p.defaultHazard)));
  }

  static void groupAdoption(CustomerLife life, List<Row> out) {
    CompanyModel model = model(life);
    CustomerProfile p = life.profile;
    int[] adopted = life.groupAdoption();
    for (int g = 0; g < adopted.length; g++) {
      boolean initial = adopted[g] == Integer.MIN_VALUE;
      out.add(RowFactory.create(
          p.id,
          ProductGroups.ALL[g].name(),
          initial,
          initial || adopted[g] == CustomerProfile.NEVER ? null : date(model, adopted[g]),
          GroupAdoption.monthlyHazard(model, p.industry, p.segment, g)));
    }
  }

  /** Latent values to 4 decimals: plenty for evaluation, and readable in the CSV. */
  private static double round4(double x) {
    return Math.round(x * 10_000) / 10_000.0;
  }
}

package org.crmanalytics.tools.generate;

import static org.crmanalytics.tools.generate.CustomerProfile.NEVER;
import static org.crmanalytics.tools.generate.LifeEvents.SECONDS_PER_DAY;
import static org.crmanalytics.tools.generate.LifeEvents.dayOf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.function.IntToDoubleFunction;
import org.crmanalytics.tools.generate.CustomerProfile.SalesChannel;
import org.crmanalytics.tools.generate.LifeEvents.Activity;
import org.crmanalytics.tools.generate.LifeEvents.Invoice;
import org.crmanalytics.tools.generate.LifeEvents.Line;
import org.crmanalytics.tools.generate.LifeEvents.Membership;
import org.crmanalytics.tools.generate.LifeEvents.Offer;
import org.crmanalytics.tools.generate.LifeEvents.Order;
import org.crmanalytics.tools.generate.LifeEvents.OrderKind;
import org.crmanalytics.tools.generate.LifeEvents.Payment;
import org.crmanalytics.tools.generate.LifeEvents.Ticket;

/**
 * Simulates one customer's history against the {@link CompanyModel}: campaign responses,
 * leads and offers, orders and returns, invoices and payments, CRM activities and tickets.
 *
 * <p>Each part draws from its own random stream and is computed on first use, so a Spark task
 * that writes only one table simulates only the parts that table depends on (tickets need
 * nothing else; invoices need the orders, which need the won offers and campaign conversions)
 * and still sees exactly what every other table sees.
 */
final class CustomerLife {
  /** Documents of one kind per customer; numbers are customer index * 1000 + sequence. */
  static final int MAX_PER_KIND = 999;

  private static final long HOUR = 3600;

  private final CompanyModel model;
  private final BusinessCalendar calendar;
  final CustomerProfile profile;
  private final int lastDay;
  private final long endSecond;

  private List<Membership> memberships;
  private List<Order> campaignOrders;
  private List<Offer> offers;
  private List<Order> offerOrders;
  private int[] adoptedFrom;
  private int[] groupAdoption;
  private List<Order> orders;
  private List<Invoice> invoices;
  private List<Activity> activities;
  private List<Ticket> tickets;
  private double[] adoptedGroupsCumulative;
  private double[] otherGroupsCumulative;

  private CustomerLife(CompanyModel model, long index) {
    this.model = model;
    this.calendar = model.calendar();
    this.profile = CustomerProfile.of(model, index);
    this.lastDay = model.days() - 1;
    this.endSecond = (long) model.days() * SECONDS_PER_DAY;
  }

  static CustomerLife of(CompanyModel model, long index) {
    return new CustomerLife(model, index);
  }

  CompanyModel model() {
    return model;
  }

  private SplittableRandom stream(Randoms.Stream purpose) {
    return Randoms.stream(model.seed(), profile.index, purpose);
  }

  private int lastBuyingDay() {
    return profile.lastBuyingDay(model);
  }

  /** "0123045" for customer index 123, document 45: unique per kind without coordination. */
  private String number(long sequence) {
    return Ids.zeroPadded(profile.index * 1000 + sequence, 7);
  }

  // ---- campaigns ------------------------------------------------------------------------------

  List<Membership> campaignMemberships() {
    if (memberships == null) {
      simulateCampaigns();
    }
    return memberships;
  }

  private void simulateCampaigns() {
    SplittableRandom r = stream(Randoms.Stream.CAMPAIGNS);
    memberships = new ArrayList<>();
    campaignOrders = new ArrayList<>();
    double meanAffinity = 0;
    for (int g = 0; g < ProductGroups.count(); g++) {
      meanAffinity += model.affinity(profile.industry, g) / ProductGroups.count();
    }
    for (int c = 0; c < model.campaignCount(); c++) {
      CompanyModel.Campaign campaign = model.campaign(c);
      if (profile.createdDay >= campaign.startDay()
          || (profile.buyerEndDay != NEVER && campaign.startDay() > profile.buyerEndDay + 180)) {
        continue;
      }
      double fit = model.affinity(profile.industry, campaign.focusGroup()) / meanAffinity;
      boolean fieldServed =
          profile.channel == SalesChannel.FIELD || profile.channel == SalesChannel.PARTNER;
      double selection = switch (campaign.kind()) {
        case MESSE -> fieldServed && profile.segment != Segment.KLEIN ? 0.35 : 0.06;
        case MAILING -> clamp(0.35 * fit, 0.05, 0.9);
        case NEWSLETTER -> fieldServed ? 0.5 : 0.7;
        case WEBINAR -> clamp(0.12 * fit, 0.02, 0.5);
      };
      if (!Randoms.chance(r, selection)) {
        continue;
      }
      int added = Math.max(profile.createdDay + 1, campaign.startDay() - Randoms.between(r, 0, 21));
      double response = campaign.kind().responseRate * profile.engagement * (0.7 + 0.3 * fit);
      if (profile.inChurnDecline(campaign.startDay())) {
        response *= 0.3;
      }
      int responded = -1;
      boolean converted = false;
      if (Randoms.chance(r, Math.min(0.9, response))) {
        int day = Math.min(campaign.startDay() + (int) Randoms.exponential(r, 7),
            campaign.endDay() + 21);
        if (day <= lastDay && day <= profile.buyerEndDay) {
          responded = day;
          if (Randoms.chance(r, campaign.kind().conversionRate)) {
            int orderDay = calendar.nextWorkingDay(responded + Randoms.between(r, 1, 21));
            if (orderDay <= lastBuyingDay()) {
              converted = true;
              int lineCount = Randoms.between(r, 1, 3);
              Line[] lines = new Line[lineCount];
              for (int k = 0; k < lineCount; k++) {
                int product = model.drawProduct(r, campaign.focusGroup());
                lines[k] = line(r, product, quantity(r, campaign.focusGroup(), 1.0), 0.03);
              }
              String channel = switch (campaign.kind()) {
                case NEWSLETTER, WEBINAR -> SalesChannel.WEB.code;
                case MESSE, MAILING -> profile.channel.code;
              };
              campaignOrders.add(new Order(orderDay, OrderKind.CAMPAIGN, channel, lines, null));
            }
          }
        }
      }
      memberships.add(new Membership(c, added, responded, converted));
    }
  }

  // ---- offers ---------------------------------------------------------------------------------

  List<Offer> offers() {
    if (offers == null) {
      simulateOffers();
    }
    return offers;
  }

  private void simulateOffers() {
    SplittableRandom r = stream(Randoms.Stream.OFFERS);
    offers = new ArrayList<>();
    offerOrders = new ArrayList<>();
    double channelFactor = switch (profile.channel) {
      case FIELD -> 1.2;
      case INSIDE -> 1.0;
      case WEB -> 0.8;
      case PARTNER -> 0.9;
    };
    double perDay = profile.segment.leadsPerYear * channelFactor / 365.0;
    DayList leadDays = new DayList();
    poissonDays(r, profile.activeStartDay(), lastBuyingDay(),
        perDay * calendar.maxWorkdayWeight(),
        d -> calendar.workdayWeight(d) / calendar.maxWorkdayWeight(), leadDays);
    int sequence = 0;
    for (int k = 0; k < leadDays.size; k++) {
      int leadDay = leadDays.days[k];
      if (sequence >= MAX_PER_KIND) {
        break;
      }
      sequence++;
      offers.add(simulateOffer(r, leadDay, sequence));
    }
  }

  private Offer simulateOffer(SplittableRandom r, int leadDay, int sequence) {
    long lead = leadDay * SECONDS_PER_DAY + Randoms.between(r, 8 * 3600, 17 * 3600);
    String channel;
    double x = r.nextDouble();
    if (x < 0.75) {
      channel = profile.channel.code;
    } else if (x < 0.90) {
      channel = SalesChannel.WEB.code;
    } else {
      channel = Randoms.chance(r, 0.5) ? SalesChannel.PARTNER.code : SalesChannel.INSIDE.code;
    }
    int rep = profile.rep;
    if (Randoms.chance(r, 0.1) && model.insideReps().length > 0) {
      rep = model.insideReps()[r.nextInt(model.insideReps().length)];
    }
    // Almost half the offers are for a group the customer does not buy yet: cross-selling.
    int focus = Randoms.chance(r, 0.45) ? drawGroup(r, false) : drawGroup(r, true);
    int lineCount = Math.min(8, 2 + Randoms.poisson(r, 1.5));
    Line[] basket = new Line[lineCount];
    for (int k = 0; k < lineCount; k++) {
      int group = k == 0 || Randoms.chance(r, 0.7) ? focus : drawGroup(r, true);
      int product = model.drawProduct(r, group);
      basket[k] = line(r, product, quantity(r, group, 2.5), 0.02);
    }
    long amount = 0;
    for (Line l : basket) {
      amount += l.netE4();
    }
    String id = "AN" + calendar.year(leadDay) + "-" + number(sequence);

    boolean qualifies = Randoms.chance(r, 0.75);
    if (!qualifies) {
      long lost = later(r, lead, 3, 10);
      String reason = Randoms.chance(r, 0.6) ? "kein Bedarf" : "Budget";
      return lost < endSecond
          ? new Offer(id, rep, channel, lead, -1, lead, "lost", -1, "lost", lost, reason)
          : new Offer(id, rep, channel, lead, -1, lead, "lead", -1, "open", -1, null);
    }
    long qualified = later(r, lead, 1, 4);
    if (qualified >= endSecond) {
      return new Offer(id, rep, channel, lead, -1, lead, "lead", -1, "open", -1, null);
    }
    if (!Randoms.chance(r, 0.9)) {
      long lost = later(r, qualified, 2, 8);
      String reason = Randoms.chance(r, 0.5) ? "kein Bedarf" : "Budget";
      return lost < endSecond
          ? new Offer(id, rep, channel, lead, qualified, lead, "lost", -1, "lost", lost, reason)
          : new Offer(id, rep, channel, lead, qualified, lead, "qualified", -1, "open", -1, null);
    }
    long offered = later(r, qualified, 1, 5);
    if (offered >= endSecond) {
      return new Offer(id, rep, channel, lead, qualified, lead, "qualified", -1, "open", -1, null);
    }
    boolean negotiates = Randoms.chance(r, 0.55);
    long negotiation = later(r, offered, 3, 10);
    long closed = negotiates ? later(r, negotiation, 5, 20) : later(r, offered, 5, 15);
    double channelWin = switch (channel) {
      case "field" -> 1.25;
      case "inside" -> 1.0;
      case "web" -> 0.7;
      default -> 0.9;
    };
    int closeDay = dayOf(closed);
    double win = 0.36 * channelWin * model.rep(rep).skill() * Math.exp(0.25 * profile.satisfaction)
        * (1.15 - 0.3 * profile.priceSensitivity)
        * (profile.inChurnDecline(closeDay) ? 0.3 : 1.0)
        * (profile.inDistress(closeDay) ? 0.8 : 1.0);
    boolean won = Randoms.chance(r, clamp(win, 0.03, 0.9)) && closeDay <= profile.buyerEndDay;
    String reason = null;
    if (!won) {
      double competitor = profile.inChurnDecline(closeDay) || closeDay > profile.buyerEndDay
          ? 0.9 : 0.25;
      reason = GermanTexts.LOST_REASONS[Randoms.weighted(r,
          new double[] {0.25 + 0.3 * profile.priceSensitivity, competitor, 0.10, 0.15, 0.15})];
    }
    if (closed >= endSecond) {
      String stage = negotiates && negotiation < endSecond ? "negotiation" : "offer";
      return new Offer(id, rep, channel, lead, qualified, offered, stage, amount, "open", -1,
          null);
    }
    if (won) {
      offerOrders.add(new Order(closeDay, OrderKind.OFFER, channel, basket, null));
      return new Offer(id, rep, channel, lead, qualified, offered, "won", amount, "won", closed,
          null);
    }
    return new Offer(id, rep, channel, lead, qualified, offered, "lost", amount, "lost", closed,
        reason);
  }

  /** A business-hours time some days after {@code from} (at least minDays, plus an exponential). */
  private long later(SplittableRandom r, long from, double minDays, double meanExtraDays) {
    int day = dayOf(from) + (int) Math.round(minDays + Randoms.exponential(r, meanExtraDays));
    day = calendar.nextWorkingDay(day);
    long t = day * SECONDS_PER_DAY + Randoms.between(r, 8 * 3600, 18 * 3600);
    return Math.max(t, from + HOUR);
  }

  // ---- orders ---------------------------------------------------------------------------------

  /** All order and return documents, sorted by date and numbered. */
  List<Order> orders() {
    if (orders == null) {
      simulateOrders();
    }
    return orders;
  }

  private void simulateOrders() {
    campaignMemberships();
    offers();
    adoptedFrom = groupAdoption().clone();
    // A won offer or a campaign purchase in a new group makes it part of the regular buying.
    for (Order o : offerOrders) {
      adopt(o);
    }
    for (Order o : campaignOrders) {
      adopt(o);
    }

    SplittableRandom r = stream(Randoms.Stream.ORDERS);
    List<Order> documents = new ArrayList<>();
    int from = profile.activeStartDay();
    int to = lastBuyingDay();
    if (profile.createdDay >= 0) {
      // A new account is opened with its first order.
      int first = calendar.nextWorkingDay(profile.createdDay + Randoms.between(r, 0, 10));
      if (first <= to) {
        documents.add(regularOrder(r, first));
      }
    }
    // Cap the rate so that even the busiest customer stays within its 999 document numbers.
    double perYear = Math.min(profile.segment.ordersPerYear * profile.propensity,
        600 / Math.max(1.0, model.years()));
    double perDay = perYear / 365.0;
    DayList orderDays = new DayList();
    poissonDays(r, from, to, perDay * calendar.maxOrderWeight(),
        d -> calendar.orderWeight(d) * profile.orderRateFactor(d) / calendar.maxOrderWeight(),
        orderDays);
    for (int k = 0; k < orderDays.size; k++) {
      documents.add(regularOrder(r, orderDays.days[k]));
    }
    documents.addAll(offerOrders);
    documents.addAll(campaignOrders);
    documents.addAll(adoptionOrders(to));
    if (profile.defaults()) {
      documents.addAll(rushOrders(to));
    }
    documents.sort((a, b) -> Integer.compare(a.day, b.day));

    SplittableRandom returns = stream(Randoms.Stream.RETURNS);
    double returnRate = 0.03 * Math.exp(-0.3 * profile.satisfaction);
    List<Order> returnDocs = new ArrayList<>();
    for (Order o : documents) {
      if (!Randoms.chance(returns, returnRate)) {
        continue;
      }
      int day = calendar.nextWorkingDay(o.day + Randoms.between(returns, 3, 30));
      if (day > to) {
        continue;
      }
      int count = o.lines.length > 1 && Randoms.chance(returns, 0.2) ? 2 : 1;
      Line[] lines = new Line[count];
      int start = returns.nextInt(o.lines.length);
      for (int k = 0; k < count; k++) {
        Line original = o.lines[(start + k) % o.lines.length];
        int pack = ProductGroups.ALL[model.product(original.product()).group()].packSize();
        long q = Math.round(original.quantity() * Randoms.uniform(returns, 0.1, 1.0) / pack) * pack;
        q = Math.max(pack, Math.min(original.quantity(), q));
        long net = roundToCent(q * original.unitNetE4());
        long cost = q * model.product(original.product()).unitCostE4();
        lines[k] = new Line(original.product(), -q, original.unitNetE4(), -net, -cost);
      }
      returnDocs.add(new Order(day, OrderKind.RETURN, o.channel, lines, o));
    }
    documents.addAll(returnDocs);
    // Stable sort: same-day documents keep kind order (orders before the returns of that day).
    documents.sort((a, b) -> a.day != b.day ? Integer.compare(a.day, b.day)
        : Integer.compare(a.kind == OrderKind.RETURN ? 1 : 0, b.kind == OrderKind.RETURN ? 1 : 0));
    if (documents.size() > MAX_PER_KIND) {
      // Returns follow their originals, so the cut never orphans one.
      documents = new ArrayList<>(documents.subList(0, MAX_PER_KIND));
    }
    int sequence = 0;
    for (Order o : documents) {
      sequence++;
      o.number = number(sequence);
      o.id = "A" + calendar.year(o.day) + "-" + o.number;
    }
    orders = Collections.unmodifiableList(documents);
  }

  /**
   * When the customer takes up each product group (initial, in the history, never): the
   * {@link GroupAdoption} process, which won offers and campaign purchases may anticipate.
   */
  int[] groupAdoption() {
    if (groupAdoption == null) {
      groupAdoption = GroupAdoption.simulate(model, profile);
    }
    return groupAdoption;
  }

  /**
   * A group taken up in the history is first bought on the next working day, so that the
   * adoption shows in the sales the day it happens (later orders draw it by preference).
   */
  private List<Order> adoptionOrders(int to) {
    List<Order> firsts = new ArrayList<>();
    SplittableRandom r = stream(Randoms.Stream.ADOPTION_ORDERS);
    int[] adopted = groupAdoption();
    for (int g = 0; g < adopted.length; g++) {
      if (adopted[g] == Integer.MIN_VALUE || adopted[g] == NEVER) {
        continue;
      }
      int day = calendar.nextWorkingDay(adopted[g]);
      if (day > to) {
        continue;
      }
      int lineCount = Randoms.between(r, 1, 2);
      Line[] lines = new Line[lineCount];
      for (int k = 0; k < lineCount; k++) {
        lines[k] = line(r, model.drawProduct(r, g), quantity(r, g, 1.0), 0);
      }
      firsts.add(new Order(day, OrderKind.REGULAR, profile.channel.code, lines, null));
    }
    return firsts;
  }

  private void adopt(Order o) {
    for (Line l : o.lines) {
      int g = model.product(l.product()).group();
      adoptedFrom[g] = Math.min(adoptedFrom[g], o.day);
    }
  }

  /**
   * Before a default the customer stocks up while it still gets goods on credit: in its last
   * weeks as a buyer it places a few larger orders, sized so that its open receivables (which
   * it no longer pays) approach or exceed its credit limit. Drawn from their own stream, so the
   * rest of the history keeps its values.
   */
  private List<Order> rushOrders(int to) {
    List<Order> rush = new ArrayList<>();
    SplittableRandom r = stream(Randoms.Stream.RUSH_ORDERS);
    int from = Math.max(profile.activeStartDay(), profile.defaultDay - 75);
    if (to - from < 7) {
      return rush;
    }
    long targetE4 = Math.round(profile.creditLimitEuro * Randoms.uniform(r, 0.6, 1.3)) * 10_000;
    int count = Randoms.between(r, 2, 5);
    double bigger = Randoms.uniform(r, 1.8, 3.0);
    long totalE4 = 0;
    for (int k = 0; k < count && totalE4 < targetE4; k++) {
      int day = calendar.nextWorkingDay(Randoms.between(r, from, to));
      if (day > to) {
        continue;
      }
      Order o = regularOrder(r, day, bigger);
      rush.add(o);
      totalE4 += o.netE4();
    }
    return rush;
  }

  private Order regularOrder(SplittableRandom r, int day) {
    return regularOrder(r, day, 1.0);
  }

  private Order regularOrder(SplittableRandom r, int day, double size) {
    // A larger (rushed) order also has a line more.
    int lineCount = Math.min(8,
        (size > 1 ? 2 : 1) + Randoms.poisson(r, profile.segment.meanLines - 1));
    Line[] lines = new Line[lineCount];
    double[] weights = new double[ProductGroups.count()];
    for (int g = 0; g < weights.length; g++) {
      weights[g] = adoptedFrom[g] <= day ? profile.groupPreference[g] : 0;
    }
    int[] used = new int[lineCount];
    for (int k = 0; k < lineCount; k++) {
      int group = Randoms.weighted(r, weights);
      int product = model.drawProduct(r, group);
      for (int attempt = 0; attempt < 3 && contains(used, k, product); attempt++) {
        product = model.drawProduct(r, group);
      }
      used[k] = product;
      lines[k] = line(r, product, quantity(r, group, size), 0);
    }
    double x = r.nextDouble();
    String channel = x < 0.85 ? profile.channel.code
        : x < 0.95 ? SalesChannel.WEB.code : SalesChannel.INSIDE.code;
    return new Order(day, OrderKind.REGULAR, channel, lines, null);
  }

  private static boolean contains(int[] values, int count, int value) {
    for (int i = 0; i < count; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }

  private long quantity(SplittableRandom r, int group, double projectFactor) {
    ProductGroups.Group g = ProductGroups.ALL[group];
    double spread = (double) g.quantityMax() / g.quantityMin();
    double q = g.quantityMin() * Math.pow(spread, r.nextDouble())
        * profile.segment.quantityFactor * projectFactor;
    long pack = g.packSize();
    return Math.max(pack, Math.round(q / pack) * pack);
  }

  /** A line at the customer's discount; never below cost plus a small markup. */
  private Line line(SplittableRandom r, int productIndex, long quantity, double extraDiscount) {
    CompanyModel.Product p = model.product(productIndex);
    double discount = clamp(profile.discount + extraDiscount + 0.01 * Randoms.gaussian(r), 0, 0.3);
    long unitNet = Math.round(p.listPriceE4() * (1.0 - discount));
    unitNet = Math.max(unitNet, Math.round(p.unitCostE4() * 1.03));
    long net = roundToCent(quantity * unitNet);
    return new Line(productIndex, quantity, unitNet, net, quantity * p.unitCostE4());
  }

  static long roundToCent(long e4) {
    return Math.floorDiv(e4 + 50, 100) * 100;
  }

  // ---- invoices and payments ------------------------------------------------------------------

  List<Invoice> invoices() {
    if (invoices == null) {
      simulateInvoices();
    }
    return invoices;
  }

  private void simulateInvoices() {
    SplittableRandom r = stream(Randoms.Stream.PAYMENTS);
    // Only defaulters draw from these: everybody else keeps the values of the PAYMENTS stream.
    SplittableRandom skonto = profile.defaults() ? stream(Randoms.Stream.SKONTO_DROPPED) : null;
    SplittableRandom writeOffs = profile.defaults() ? stream(Randoms.Stream.WRITE_OFFS) : null;
    List<Invoice> list = new ArrayList<>(orders().size());
    int lastPayableDay = Math.min(lastDay, profile.defaultDay);
    for (Order o : orders()) {
      int invoiceDay = Math.min(lastDay, o.day + Randoms.weighted(r, new double[] {50, 30, 12, 8}));
      String id = "RE" + calendar.year(invoiceDay) + "-" + o.number;
      long amount = o.netE4();
      if (o.isReturn()) {
        Invoice credit = new Invoice(o, id, invoiceDay, invoiceDay, amount);
        int refund = calendar.nextWorkingDay(invoiceDay + Randoms.between(r, 3, 14));
        if (refund <= lastPayableDay) {
          credit.payments.add(new Payment(paymentId(id, 1), refund, amount));
        }
        list.add(credit);
        continue;
      }
      int due = invoiceDay + profile.segment.paymentTermDays;
      Invoice invoice = new Invoice(o, id, invoiceDay, due, amount);
      int payDay = plannedPaymentDay(r, skonto, invoiceDay, due);
      double distress = profile.defaults() ? profile.declineProgress(due) : 0;
      payDay = calendar.nextWorkingDay(Math.max(invoiceDay, payDay));
      boolean paidInFull = true;
      int settled = NEVER;
      if (Randoms.chance(r, 0.04 + 0.3 * distress)) {
        long first = roundToCent(Math.round(amount * Randoms.uniform(r, 0.3, 0.7)));
        int secondDay = calendar.nextWorkingDay(payDay + Randoms.between(r, 14, 45));
        if (payDay <= lastPayableDay) {
          invoice.payments.add(new Payment(paymentId(id, 1), payDay, first));
          if (secondDay <= lastPayableDay) {
            invoice.payments.add(new Payment(paymentId(id, 2), secondDay, amount - first));
            settled = secondDay;
          } else {
            paidInFull = false;
          }
        } else {
          paidInFull = false;
        }
      } else if (payDay <= lastPayableDay) {
        invoice.payments.add(new Payment(paymentId(id, 1), payDay, amount));
        settled = payDay;
      } else {
        paidInFull = false;
      }
      int open = paidInFull ? settled : NEVER;
      int level = 0;
      for (int k = 1; k <= 3; k++) {
        int reminder = due + 14 * k;
        if (reminder < open && reminder <= lastDay) {
          level = k;
          invoice.reminderDays[k - 1] = reminder;
        }
      }
      invoice.dunningLevel = level;
      if (writeOffs != null && open == NEVER) {
        // Still unpaid four to six months after its due date (and after its last instalment):
        // written off, or handed to a collection agency, on a working day.
        int lastPayment = invoice.payments.isEmpty() ? due
            : invoice.payments.get(invoice.payments.size() - 1).day();
        int day = calendar.nextWorkingDay(
            Math.max(due + Randoms.between(writeOffs, 120, 180), lastPayment + 14));
        if (day <= lastDay) {
          invoice.writtenOffDay = day;
        }
      }
      list.add(invoice);
    }
    invoices = Collections.unmodifiableList(list);
  }

  /**
   * When the customer would pay, by its payment habit; before a default the delays grow
   * steeply over the months of distress.
   */
  private int plannedPaymentDay(SplittableRandom r, SplittableRandom skonto, int invoiceDay,
      int due) {
    int day = switch (profile.payerType) {
      case SKONTO -> Randoms.chance(r, 0.9) ? skontoDay(r, skonto, invoiceDay, due)
          : due + (int) Math.round(Randoms.exponential(r, 3)) - 1;
      case PUNCTUAL -> due + Randoms.between(r, -4, 2);
      case RELAXED -> due + (int) Math.round(Randoms.exponential(r, 8));
      case LATE -> due + (int) Math.round(profile.lateDays + 6 * Randoms.gaussian(r));
    };
    if (profile.defaults()) {
      double progress = profile.declineProgress(due);
      day += (int) Math.round(100 * Math.pow(progress, 1.5) * Randoms.uniform(r, 0.7, 1.3));
    }
    return day;
  }

  /**
   * The payment day of a SKONTO payer taking its early-payment discount; a defaulter gives the
   * discount up more and more often as its distress grows (cash is short, so it pays at the due
   * date or later): the first sign a credit manager sees. {@code skonto} is null for everybody
   * else, who draws nothing more.
   */
  private int skontoDay(SplittableRandom r, SplittableRandom skonto, int invoiceDay, int due) {
    int day = invoiceDay + Randoms.between(r, 5, 10);
    if (skonto != null
        && Randoms.chance(skonto, Math.min(0.95, 1.6 * profile.declineProgress(invoiceDay)))) {
      day = due + (int) Math.round(Randoms.exponential(skonto, 6));
    }
    return day;
  }

  private static String paymentId(String invoiceId, int installment) {
    return "ZE" + invoiceId.substring(2) + "-" + installment;
  }

  // ---- activities -----------------------------------------------------------------------------

  List<Activity> activities() {
    if (activities == null) {
      simulateActivities();
    }
    return activities;
  }

  private record PlannedActivity(int rep, String type, long second, String outcome,
      String notes) {}

  private void simulateActivities() {
    SplittableRandom r = stream(Randoms.Stream.ACTIVITIES);
    List<PlannedActivity> planned = new ArrayList<>();
    int from = profile.activeStartDay();
    int buyerEnd = profile.buyerEndDay;
    int to = buyerEnd == NEVER ? lastDay : (int) Math.min(lastDay, (long) buyerEnd + 60);
    double diligence = model.rep(profile.rep).diligence();
    boolean fieldServed =
        profile.channel == SalesChannel.FIELD || profile.channel == SalesChannel.PARTNER;
    double visits = fieldServed
        ? profile.segment.visitsPerYear * (profile.channel == SalesChannel.PARTNER ? 0.4 : 1.0)
        : profile.segment.ordinal() >= Segment.GROSS.ordinal() ? 1.0 : 0.15;
    double calls = switch (profile.channel) {
      case INSIDE -> 5.0;
      case WEB -> 1.0;
      case FIELD -> 2.0;
      case PARTNER -> 1.5;
    } * (profile.segment == Segment.KEY_ACCOUNT ? 1.5 : 1.0);
    double meetings = profile.segment.meetingsPerYear
        * (profile.channel == SalesChannel.FIELD ? 1.0 : 0.3);
    // Churners get fewer visits and meetings in their last months, none after leaving.
    addActivities(r, planned, "visit", visits * diligence, from, to,
        d -> d > buyerEnd ? 0 : profile.inChurnDecline(d) ? 0.35 : 1.0, 8 * 3600 + 1800, 16 * 3600);
    addActivities(r, planned, "call", calls, from, to,
        d -> d > buyerEnd ? 0.4 : profile.inChurnDecline(d) ? 0.8 : 1.0, 8 * 3600, 18 * 3600);
    addActivities(r, planned, "email", 3.0, from, to,
        d -> d > buyerEnd ? 0.5 : 1.0, 7 * 3600, 19 * 3600);
    addActivities(r, planned, "meeting", meetings, from, to,
        d -> d > buyerEnd ? 0 : profile.inChurnDecline(d) ? 0.5 : 1.0, 9 * 3600, 16 * 3600);
    for (Invoice invoice : invoices()) {
      if (invoice.dunningLevel < 2) {
        continue;
      }
      int day = calendar.nextWorkingDay(invoice.dueDay + 28 + Randoms.between(r, 0, 3));
      if (day <= lastDay && Randoms.chance(r, 0.6)) {
        long second = day * SECONDS_PER_DAY + Randoms.between(r, 8 * 3600, 17 * 3600);
        String note = GermanTexts.fill(Randoms.pick(r, GermanTexts.DUNNING_CALL_NOTES), r, "", "",
            calendar.year(day), invoice.id);
        planned.add(new PlannedActivity(profile.rep, "call", second,
            Randoms.pick(r, GermanTexts.DUNNING_CALL_OUTCOMES), note));
      }
    }
    planned.sort((a, b) -> Long.compare(a.second(), b.second()));
    List<Activity> list = new ArrayList<>(Math.min(planned.size(), MAX_PER_KIND));
    for (int k = 0; k < planned.size() && k < MAX_PER_KIND; k++) {
      PlannedActivity p = planned.get(k);
      list.add(new Activity("AK-" + number(k + 1), p.rep(), p.type(), p.second(), p.outcome(),
          p.notes()));
    }
    activities = Collections.unmodifiableList(list);
  }

  private void addActivities(SplittableRandom r, List<PlannedActivity> out, String type,
      double perYear, int from, int to, IntToDoubleFunction factor, int earliestSecond,
      int latestSecond) {
    if (perYear <= 0) {
      return;
    }
    double perDay = perYear / 365.0;
    DayList days = new DayList();
    poissonDays(r, from, to, perDay * calendar.maxWorkdayWeight(),
        d -> calendar.workdayWeight(d) * factor.applyAsDouble(d) / calendar.maxWorkdayWeight(),
        days);
    for (int k = 0; k < days.size; k++) {
      int day = days.days[k];
      long second = day * SECONDS_PER_DAY + Randoms.between(r, earliestSecond, latestSecond);
      int rep = profile.rep;
      if (("call".equals(type) || "email".equals(type)) && Randoms.chance(r, 0.15)
          && model.insideReps().length > 0) {
        rep = model.insideReps()[r.nextInt(model.insideReps().length)];
      }
      int tone = tone(r, day);
      int kind = ACTIVITY_TYPES.indexOf(type);
      String[][] outcomes = OUTCOMES[kind];
      String[][] notes = NOTES[kind];
      String outcome = Randoms.pick(r, outcomes[tone]);
      int group = drawGroup(r, true);
      String article = model.product(model.drawProduct(r, group)).name();
      String note = GermanTexts.fill(Randoms.pick(r, notes[tone]), r,
          ProductGroups.ALL[group].name(), article, calendar.year(day), null);
      out.add(new PlannedActivity(rep, type, second, outcome, note));
    }
  }

  private static final List<String> ACTIVITY_TYPES = List.of("visit", "call", "email", "meeting");
  /** Outcomes and notes by activity type, then tone (good, neutral, bad). */
  private static final String[][][] OUTCOMES = {
    {GermanTexts.VISIT_OUTCOMES_GOOD, GermanTexts.VISIT_OUTCOMES_NEUTRAL,
      GermanTexts.VISIT_OUTCOMES_BAD},
    {GermanTexts.CALL_OUTCOMES_GOOD, GermanTexts.CALL_OUTCOMES_NEUTRAL,
      GermanTexts.CALL_OUTCOMES_BAD},
    {GermanTexts.EMAIL_OUTCOMES_GOOD, GermanTexts.EMAIL_OUTCOMES_NEUTRAL,
      GermanTexts.EMAIL_OUTCOMES_BAD},
    {GermanTexts.MEETING_OUTCOMES_GOOD, GermanTexts.MEETING_OUTCOMES_NEUTRAL,
      GermanTexts.MEETING_OUTCOMES_BAD},
  };
  private static final String[][][] NOTES = {
    {GermanTexts.VISIT_NOTES_GOOD, GermanTexts.VISIT_NOTES_NEUTRAL, GermanTexts.VISIT_NOTES_BAD},
    {GermanTexts.CALL_NOTES_GOOD, GermanTexts.CALL_NOTES_NEUTRAL, GermanTexts.CALL_NOTES_BAD},
    {GermanTexts.EMAIL_NOTES_GOOD, GermanTexts.EMAIL_NOTES_NEUTRAL, GermanTexts.EMAIL_NOTES_BAD},
    {GermanTexts.MEETING_NOTES_GOOD, GermanTexts.MEETING_NOTES_NEUTRAL,
      GermanTexts.MEETING_NOTES_BAD},
  };

  /** 0 good, 1 neutral, 2 bad: contacts sour in the months before a customer leaves. */
  private int tone(SplittableRandom r, int day) {
    double bad = profile.inChurnDecline(day) || day > profile.buyerEndDay ? 0.45
        : 0.15 * Math.exp(-0.3 * profile.satisfaction);
    double good = profile.inChurnDecline(day) || day > profile.buyerEndDay ? 0.15 : 0.45;
    return Randoms.weighted(r, new double[] {good, 1 - good - bad, bad});
  }

  // ---- tickets --------------------------------------------------------------------------------

  List<Ticket> tickets() {
    if (tickets == null) {
      simulateTickets();
    }
    return tickets;
  }

  private record PlannedTicket(String type, int day) {}

  private static final String[] PRIORITIES = {"low", "normal", "high", "urgent"};
  private static final int[] SLA_HOURS = {240, 120, 48, 24};

  private void simulateTickets() {
    SplittableRandom r = stream(Randoms.Stream.TICKETS);
    int from = profile.activeStartDay();
    int to = lastBuyingDay();
    List<PlannedTicket> planned = new ArrayList<>();
    // Complaints triple in the run-up to churn; unhappy customers complain more all along.
    double complaintBoost = 3.5;
    double complaints = profile.segment.complaintsPerYear * Math.exp(-0.4 * profile.satisfaction);
    poissonDays(r, from, to, complaints * complaintBoost / 365.0 * calendar.maxWorkdayWeight(),
        d -> calendar.workdayWeight(d) / calendar.maxWorkdayWeight()
            * (profile.inChurnDecline(d) ? 1.0 : 1.0 / complaintBoost),
        d -> planned.add(new PlannedTicket("complaint", d)));
    poissonDays(r, from, to, profile.segment.requestsPerYear / 365.0 * calendar.maxWorkdayWeight(),
        d -> calendar.workdayWeight(d) / calendar.maxWorkdayWeight(),
        d -> planned.add(new PlannedTicket("request", d)));
    planned.sort((a, b) -> Integer.compare(a.day(), b.day()));
    List<Ticket> list = new ArrayList<>();
    int sequence = 0;
    for (PlannedTicket p : planned) {
      if (sequence >= MAX_PER_KIND) {
        break;
      }
      sequence++;
      boolean complaint = "complaint".equals(p.type());
      int category = Randoms.weighted(r, complaint ? new double[] {0.40, 0.35, 0.15, 0.10}
          : new double[] {0.25, 0.15, 0.20, 0.40});
      int priority = Randoms.weighted(r, complaint ? new double[] {0.08, 0.50, 0.30, 0.12}
          : new double[] {0.30, 0.55, 0.12, 0.03});
      long created = p.day() * SECONDS_PER_DAY + Randoms.between(r, 7 * 3600, 18 * 3600);
      long due = created + SLA_HOURS[priority] * HOUR;
      double slowness = profile.inChurnDecline(p.day()) ? 1.5 : 1.0;
      long resolution = Math.max(HOUR / 4, Math.round(
          Randoms.logNormal(r, 0.6 * SLA_HOURS[priority], 0.8) * slowness * HOUR));
      long resolved = duringOfficeHours(r, created + resolution);
      String[] texts = (complaint ? GermanTexts.COMPLAINTS : GermanTexts.REQUESTS)[category];
      int group = drawGroup(r, true);
      String article = model.product(model.drawProduct(r, group)).name();
      String description = GermanTexts.fill(Randoms.pick(r, texts), r,
          ProductGroups.ALL[group].name(), article, calendar.year(p.day()), null);
      list.add(new Ticket("TK" + calendar.year(p.day()) + "-" + number(sequence), p.type(),
          GermanTexts.CATEGORIES[category], PRIORITIES[priority], created, due,
          resolved < endSecond ? resolved : -1, description));
    }
    tickets = Collections.unmodifiableList(list);
  }

  /** The time itself if it falls in office hours (7-19 h on a working day), else the next. */
  private long duringOfficeHours(SplittableRandom r, long second) {
    int day = dayOf(second);
    long timeOfDay = second - day * SECONDS_PER_DAY;
    if (day < model.days() && calendar.isWorkingDay(day) && timeOfDay >= 7 * HOUR
        && timeOfDay < 19 * HOUR) {
      return second;
    }
    int next = calendar.nextWorkingDay(timeOfDay < 7 * HOUR ? day : day + 1);
    return next * SECONDS_PER_DAY + Randoms.between(r, 7 * 3600, 10 * 3600);
  }

  /** Event days in the order drawn; an int list without boxing. */
  private static final class DayList implements IntConsumer {
    int[] days = new int[16];
    int size;

    @Override
    public void accept(int day) {
      if (size == days.length) {
        days = Arrays.copyOf(days, size * 2);
      }
      days[size++] = day;
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** A product group by the customer's preference: among those it buys, or those it does not. */
  private int drawGroup(SplittableRandom r, boolean adopted) {
    if (adoptedGroupsCumulative == null) {
      adoptedGroupsCumulative = groupsCumulative(true);
      otherGroupsCumulative = groupsCumulative(false);
    }
    return Randoms.weightedCumulative(r, adopted ? adoptedGroupsCumulative : otherGroupsCumulative);
  }

  private double[] groupsCumulative(boolean adopted) {
    double[] w = new double[ProductGroups.count()];
    boolean any = false;
    for (int g = 0; g < w.length; g++) {
      if (profile.initiallyAdopted[g] == adopted) {
        w[g] = profile.groupPreference[g];
        any = true;
      }
    }
    return Randoms.cumulative(any ? w : profile.groupPreference);
  }

  /**
   * Days with an event of a Poisson process on [from, to] whose daily rate is
   * {@code maxPerDay * relative(day)}, with relative in [0, 1] (thinning: cheap when events are
   * rare, whatever the length of the history).
   */
  static void poissonDays(SplittableRandom r, int from, int to, double maxPerDay,
      IntToDoubleFunction relative, IntConsumer onDay) {
    if (to < from || maxPerDay <= 0) {
      return;
    }
    double t = from;
    double mean = 1.0 / maxPerDay;
    while (true) {
      t += Randoms.exponential(r, mean);
      if (t >= to + 1.0) {
        return;
      }
      int day = (int) t;
      if (r.nextDouble() < relative.applyAsDouble(day)) {
        onDay.accept(day);
      }
    }
  }

  private static double clamp(double x, double lo, double hi) {
    return Math.max(lo, Math.min(hi, x));
  }

}

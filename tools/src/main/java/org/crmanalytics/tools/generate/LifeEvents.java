package org.crmanalytics.tools.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * The events of one simulated customer life, in the simulation's own units: days numbered from
 * the first day of the history, times as seconds since its first midnight (UTC), money in
 * 1/10,000 EUR. {@link TableRows} turns them into contract rows.
 */
final class LifeEvents {
  private LifeEvents() {}

  static final long SECONDS_PER_DAY = 86_400L;

  static int dayOf(long second) {
    return (int) Math.floorDiv(second, SECONDS_PER_DAY);
  }

  /** One order line (negative quantity and amounts on a return). */
  record Line(int product, long quantity, long unitNetE4, long netE4, long costE4) {}

  enum OrderKind { REGULAR, OFFER, CAMPAIGN, RETURN }

  /** An order or a return document; numbered once the customer's documents are sorted. */
  static final class Order {
    final int day;
    final OrderKind kind;
    final String channel;
    final Line[] lines;
    /** For a return: the order it reverses. */
    final Order original;
    /** Document number shared by the order, its invoice and payments ("0123045"). */
    String number;
    String id;

    Order(int day, OrderKind kind, String channel, Line[] lines, Order original) {
      this.day = day;
      this.kind = kind;
      this.channel = channel;
      this.lines = lines;
      this.original = original;
    }

    boolean isReturn() {
      return kind == OrderKind.RETURN;
    }

    long netE4() {
      long sum = 0;
      for (Line line : lines) {
        sum += line.netE4();
      }
      return sum;
    }
  }

  record Payment(String id, int day, long amountE4) {}

  /** The invoice (or credit note) of one order document, with what was paid on it. */
  static final class Invoice {
    final Order order;
    final String id;
    final int day;
    final int dueDay;
    final long amountE4;
    final List<Payment> payments = new ArrayList<>(2);
    int dunningLevel;
    /** Day each reminder was sent: index k-1 for level k, {@code dunningLevel} of them. */
    final int[] reminderDays = new int[3];
    /** Day the open amount was written off or handed to collection; -1 if never. */
    int writtenOffDay = -1;

    Invoice(Order order, String id, int day, int dueDay, long amountE4) {
      this.order = order;
      this.id = id;
      this.day = day;
      this.dueDay = dueDay;
      this.amountE4 = amountE4;
    }
  }

  record Activity(String id, int rep, String type, long second, String outcome, String notes) {}

  /** A lead, qualified lead or offer as recorded at the end date. Absent times are -1. */
  record Offer(
      String id,
      int rep,
      String channel,
      long leadSecond,
      long qualifiedSecond,
      long createdSecond,
      String stage,
      long amountE4,
      String status,
      long closedSecond,
      String lostReason) {}

  record Ticket(
      String id,
      String type,
      String category,
      String priority,
      long createdSecond,
      long dueSecond,
      long resolvedSecond,
      String description) {}

  /** A customer targeted by a campaign; respondedDay -1 when it did not respond. */
  record Membership(int campaign, int addedDay, int respondedDay, boolean converted) {}
}

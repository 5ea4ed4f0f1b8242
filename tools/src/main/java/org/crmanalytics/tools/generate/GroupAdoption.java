package org.crmanalytics.tools.generate;

import static org.crmanalytics.tools.generate.CustomerProfile.NEVER;
import static org.crmanalytics.tools.generate.ProductGroups.CHEMICALS;
import static org.crmanalytics.tools.generate.ProductGroups.CLEANING;
import static org.crmanalytics.tools.generate.ProductGroups.DRIVES;
import static org.crmanalytics.tools.generate.ProductGroups.ELECTRICAL;
import static org.crmanalytics.tools.generate.ProductGroups.HYDRAULICS;
import static org.crmanalytics.tools.generate.ProductGroups.MEASURING;
import static org.crmanalytics.tools.generate.ProductGroups.PACKAGING;
import static org.crmanalytics.tools.generate.ProductGroups.SAFETY;
import static org.crmanalytics.tools.generate.ProductGroups.SERVICE;
import static org.crmanalytics.tools.generate.ProductGroups.STORAGE;
import static org.crmanalytics.tools.generate.ProductGroups.TOOLS;

import java.util.SplittableRandom;

/**
 * The cross-sell signal: a customer starts with a few product groups (its initial groups) and
 * adopts further groups over time, each at a monthly hazard that depends on its industry's
 * affinity to the group and on its size band (large firms take up services, drives and measuring
 * sooner, small ones tools and safety), raised by {@link #COMPLEMENT_LIFT} once it holds the
 * group's antecedent in a fixed table of complementary pairs. Peers (industry × size), rules
 * (antecedent → complement) and CF can find this; the overall popularity of a group cannot.
 *
 * <p>The hazard does not depend on the customer's personal taste, so an oracle that knows the
 * table ranks a customer's groups at any date from its industry, size band and holdings alone
 * (ground truth {@code group_adoption} and {@code complement_groups}). Won offers and campaign
 * purchases add further adoptions outside this process; the oracle does not know them, nor the
 * slowdown of a customer in the run-up to churn or default (the hazard falls with its order rate).
 */
final class GroupAdoption {
  private GroupAdoption() {}

  /** Days of the month the hazard is quoted per (a year / 12). */
  static final double MONTH_DAYS = 365.25 / 12;

  /** Monthly hazard of a group of base affinity for a Mittel customer. */
  static final double BASE_MONTHLY_HAZARD = 0.004;

  /** Larger firms take up new groups sooner (by {@link Segment} ordinal). */
  private static final double[] SEGMENT_RATE = {0.7, 1.0, 1.3, 1.6};

  // BEF, WZG, PSA, HYD, ELT, ANT, CTP, BLA, VPK, MPT, RHY, SRV
  private static final double[][] SIZE_TILT = {
    {1.3, 1.4, 1.3, 0.7, 0.8, 0.5, 1.0, 0.8, 1.1, 0.5, 1.3, 0.4}, // Klein
    {1.1, 1.1, 1.1, 1.0, 1.0, 0.9, 1.0, 1.0, 1.0, 0.9, 1.0, 0.9}, // Mittel
    {0.9, 0.8, 1.0, 1.2, 1.2, 1.3, 1.0, 1.2, 1.0, 1.4, 0.9, 1.5}, // Groß
    {0.8, 0.7, 1.0, 1.3, 1.4, 1.6, 1.0, 1.3, 1.1, 1.7, 0.8, 2.0}, // Key Account
  };

  /** Holding the antecedent makes the complement this many times as likely per month. */
  static final double COMPLEMENT_LIFT = 3.0;

  /** A complementary pair: who holds {@code antecedent} needs {@code complement} sooner. */
  record Complement(int antecedent, int complement) {}

  static final Complement[] COMPLEMENTS = {
    new Complement(HYDRAULICS, SERVICE), // hydraulic and pneumatic systems need maintenance
    new Complement(DRIVES, ELECTRICAL), // motors need controls and switchgear
    new Complement(ELECTRICAL, MEASURING), // installations need testing
    new Complement(TOOLS, SAFETY), // grinders and drills need protective gear
    new Complement(STORAGE, PACKAGING), // a warehouse ships
    new Complement(CHEMICALS, CLEANING), // lubricants and solvents, then cleaning agents
  };

  /** Monthly hazard of adopting {@code group}, before the complement lift. */
  static double monthlyHazard(CompanyModel model, int industry, Segment segment, int group) {
    return BASE_MONTHLY_HAZARD * SEGMENT_RATE[segment.ordinal()]
        * model.affinity(industry, group) / Industries.BASE_AFFINITY
        * SIZE_TILT[segment.ordinal()][group];
  }

  /** The lift on {@code group}'s hazard when the customer holds the groups adopted before {@code day}. */
  static double lift(int group, int[] adoptedFrom, int day) {
    for (Complement c : COMPLEMENTS) {
      if (c.complement() == group && adoptedFrom[c.antecedent()] < day) {
        return COMPLEMENT_LIFT;
      }
    }
    return 1.0;
  }

  /**
   * The day each group is adopted: {@link Integer#MIN_VALUE} for the initial groups, a day of the
   * history for the groups adopted in it, {@link CustomerProfile#NEVER} for the others. Month by
   * month from the account's start to its last buying day; an adoption lifts its complements from
   * the next month on.
   */
  static int[] simulate(CompanyModel model, CustomerProfile profile) {
    SplittableRandom r = Randoms.stream(model.seed(), profile.index, Randoms.Stream.ADOPTION);
    int groups = ProductGroups.count();
    int[] adoptedFrom = new int[groups];
    double[] hazard = new double[groups];
    for (int g = 0; g < groups; g++) {
      adoptedFrom[g] = profile.initiallyAdopted[g] ? Integer.MIN_VALUE : NEVER;
      hazard[g] = monthlyHazard(model, profile.industry, profile.segment, g);
    }
    int from = profile.activeStartDay();
    int to = profile.lastBuyingDay(model);
    for (int month = 0; ; month++) {
      int start = from + (int) Math.round(month * MONTH_DAYS);
      if (start > to) {
        break;
      }
      int length = Math.min(to + 1, from + (int) Math.round((month + 1) * MONTH_DAYS)) - start;
      for (int g = 0; g < groups; g++) {
        if (adoptedFrom[g] != NEVER) {
          continue;
        }
        // a customer on its way out takes up nothing new: the hazard falls with its order rate
        double p = 1 - Math.exp(-hazard[g] * lift(g, adoptedFrom, start) * profile.orderRateFactor(start)
            * length / MONTH_DAYS);
        if (r.nextDouble() < p) {
          adoptedFrom[g] = start + r.nextInt(length);
        }
      }
    }
    return adoptedFrom;
  }
}

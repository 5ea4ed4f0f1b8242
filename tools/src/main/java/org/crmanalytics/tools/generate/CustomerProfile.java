package org.crmanalytics.tools.generate;

import java.util.SplittableRandom;

/**
 * Who a customer is (the master data a CRM holds) and what drives its behaviour but no system
 * records (the latent factors: propensity to order, satisfaction, payment discipline, financial
 * stress), plus the fate these imply: whether and when it stops buying, and whether it defaults.
 * The fate is decided up front from the latent factors; the event simulation then plants its
 * traces (fewer orders, more complaints, later payments) in the months before it.
 */
final class CustomerProfile {
  /** Day number for "never" (no churn, no default, group never adopted). */
  static final int NEVER = Integer.MAX_VALUE;

  enum SalesChannel {
    FIELD("field"), INSIDE("inside"), WEB("web"), PARTNER("partner");

    final String code;

    SalesChannel(String code) {
      this.code = code;
    }
  }

  /** How a customer pays; the base of every invoice's payment delay. */
  enum PayerType { SKONTO, PUNCTUAL, RELAXED, LATE }

  enum ChurnCause { NONE, SWITCHED, DEFAULT }

  // Calibrated so that about 17 % switch supplier and about 3 % default in a 3-year history.
  private static final double CHURN_HAZARD_PER_YEAR = 0.048;
  private static final double DEFAULT_HAZARD_PER_YEAR = 0.0068;

  /** Industries where a registered sole trader (e.K.) is a plausible customer. */
  private static final java.util.Set<String> SOLE_TRADER_INDUSTRIES = java.util.Set.of(
      "Bau", "Handel", "Metallverarbeitung", "Holz & Möbel", "Elektrotechnik", "Logistik");

  private static final double[][] CHANNEL_MIX = {
    // field, inside, web, partner
    {0.12, 0.40, 0.33, 0.15}, // Klein
    {0.50, 0.33, 0.07, 0.10}, // Mittel
    {0.78, 0.10, 0.02, 0.10}, // Groß
    {0.88, 0.07, 0.00, 0.05}, // Key Account
  };

  final long index;
  final String id;
  final int industry;
  final Regions.Region region;
  final String postalCode;
  final int employees;
  final Segment segment;
  final SalesChannel channel;
  final int rep;
  /** Day the account was created; negative for customers older than the history. */
  final int createdDay;
  final long creditLimitEuro;

  final double propensity;
  final double satisfaction;
  final double priceSensitivity;
  final double discount;
  final double engagement;
  final PayerType payerType;
  /** Extra days late payers take beyond the due date. */
  final double lateDays;
  final double financialStress;
  /** Preference for each product group (industry affinity times personal taste). */
  final double[] groupPreference;
  /** Whether the customer buys each group from the start of its history. */
  final boolean[] initiallyAdopted;

  final double churnHazard;
  final double defaultHazard;
  final ChurnCause churnCause;
  /** Last day as a buyer: no order after it. NEVER if the customer still buys at the end. */
  final int buyerEndDay;
  /** First day of the run-up to churn or default (declining orders, late payments). */
  final int declineStartDay;
  final int defaultDay;

  private CustomerProfile(CompanyModel model, long index) {
    this.index = index;
    this.id = customerId(model, index);
    SplittableRandom r = Randoms.stream(model.seed(), index, Randoms.Stream.PROFILE);
    int days = model.days();

    industry = Randoms.weightedCumulative(r, Industries.SHARE_CUMULATIVE);
    Industries.Industry ind = Industries.ALL[industry];
    region = Regions.draw(r);
    postalCode = region.postalCode(r);
    // Most firms are small; a separate population of large firms gives the Key Accounts.
    double size = Randoms.chance(r, 0.03)
        ? Randoms.logNormal(r, 2500, 0.8)
        : Randoms.logNormal(r, 35 * ind.sizeFactor(), 1.2);
    employees = (int) Math.max(2, Math.min(60_000, Math.round(size)));
    segment = Segment.ofEmployees(employees);
    channel = SalesChannel.values()[Randoms.weighted(r, CHANNEL_MIX[segment.ordinal()])];
    rep = drawRep(model, r);

    double newShare = Math.min(0.5, 0.095 * model.years());
    if (Randoms.chance(r, newShare)) {
      createdDay = r.nextInt(Math.max(1, days - 30));
    } else {
      createdDay = -1 - (int) Math.min(25 * 365, Randoms.exponential(r, 6 * 365));
    }

    propensity = Randoms.logNormal(r, 1.0, 0.45);
    satisfaction = Randoms.gaussian(r);
    priceSensitivity = r.nextDouble();
    discount = Math.max(0, Math.min(0.25,
        segment.baseDiscount + 0.015 * Randoms.gaussian(r) + 0.02 * (priceSensitivity - 0.5)));
    engagement = Randoms.logNormal(r, 1.0, 0.5);
    financialStress = Randoms.gaussian(r);
    double stressTilt = Math.exp(0.8 * financialStress);
    payerType = PayerType.values()[Randoms.weighted(r,
        new double[] {0.20 / stressTilt, 0.48, 0.20 * Math.sqrt(stressTilt), 0.12 * stressTilt})];
    lateDays = payerType == PayerType.LATE ? Randoms.uniform(r, 12, 40) : 0;
    long credit = Math.round(Randoms.uniform(r, segment.creditMin, segment.creditMax)
        * Math.exp(-0.2 * financialStress) / 5000.0) * 5000;
    creditLimitEuro = Math.max(5000, credit);

    groupPreference = new double[ProductGroups.count()];
    for (int g = 0; g < groupPreference.length; g++) {
      groupPreference[g] = model.affinity(industry, g) * Math.exp(0.5 * Randoms.gaussian(r));
    }
    initiallyAdopted = new boolean[groupPreference.length];
    double[] remaining = groupPreference.clone();
    for (int k = 0; k < segment.initialGroups; k++) {
      int g = Randoms.weighted(r, remaining);
      initiallyAdopted[g] = true;
      remaining[g] = 0;
    }

    // ---- fate ----
    boolean isNew = createdDay >= 0;
    int activeStart = Math.max(0, createdDay);
    double repDiligence = model.rep(rep).diligence();
    double churnRisk = -0.55 * satisfaction
        + (segment == Segment.KLEIN ? 0.45 : 0)
        + (segment == Segment.KEY_ACCOUNT ? -0.3 : 0)
        + (channel == SalesChannel.WEB ? 0.25 : 0)
        + (channel == SalesChannel.FIELD ? -0.5 * Math.log(repDiligence) : 0)
        - 0.45 * Math.log(propensity)
        + 0.6 * (priceSensitivity - 0.5)
        + (isNew ? 0.3 : 0);
    churnHazard = CHURN_HAZARD_PER_YEAR * Math.exp(churnRisk);
    double defaultRisk = 0.9 * financialStress + ind.defaultRisk()
        + (segment == Segment.KLEIN ? 0.3 : 0)
        + (payerType == PayerType.LATE ? 0.5 : 0);
    defaultHazard = DEFAULT_HAZARD_PER_YEAR * Math.exp(defaultRisk);

    // New customers are not lost in their first months: they have just been won.
    long churnAt = (isNew ? activeStart + 120L : activeStart)
        + Math.round(Randoms.exponential(r, 365.0 / churnHazard));
    long defaultAt = activeStart + 180L + Math.round(Randoms.exponential(r, 365.0 / defaultHazard));
    int declineLength = Randoms.between(r, 90, 270);
    int distressLength = Randoms.between(r, 180, 365);
    if (defaultAt < days && defaultAt < churnAt) {
      churnCause = ChurnCause.DEFAULT;
      defaultDay = (int) defaultAt;
      buyerEndDay = defaultDay;
      declineStartDay = defaultDay - distressLength;
    } else if (churnAt < days) {
      churnCause = ChurnCause.SWITCHED;
      defaultDay = NEVER;
      buyerEndDay = (int) churnAt;
      declineStartDay = buyerEndDay - declineLength;
    } else {
      churnCause = ChurnCause.NONE;
      defaultDay = NEVER;
      buyerEndDay = NEVER;
      declineStartDay = NEVER;
    }
  }

  static CustomerProfile of(CompanyModel model, long index) {
    return new CustomerProfile(model, index);
  }

  static String customerId(CompanyModel model, long index) {
    return "K" + Ids.zeroPadded(index + 1, model.customerIdDigits());
  }

  private int drawRep(CompanyModel model, SplittableRandom r) {
    if (channel == SalesChannel.FIELD || channel == SalesChannel.PARTNER) {
      int[] territory = model.territoryReps(region.territory().ordinal());
      return territory[r.nextInt(territory.length)];
    }
    int[] inside = model.insideReps();
    return inside[r.nextInt(inside.length)];
  }

  boolean churned() {
    return churnCause != ChurnCause.NONE;
  }

  boolean defaults() {
    return churnCause == ChurnCause.DEFAULT;
  }

  int activeStartDay() {
    return Math.max(0, createdDay);
  }

  /** Last day on which the customer can buy within the history. */
  int lastBuyingDay(CompanyModel model) {
    return Math.min(model.days() - 1, buyerEndDay);
  }

  /** Whether {@code day} lies in the run-up to switching supplier. */
  boolean inChurnDecline(int day) {
    return churnCause == ChurnCause.SWITCHED && day >= declineStartDay && day <= buyerEndDay;
  }

  /** Whether {@code day} lies in the months of growing payment trouble before a default. */
  boolean inDistress(int day) {
    return churnCause == ChurnCause.DEFAULT && day >= declineStartDay && day <= buyerEndDay;
  }

  /** 0 at the start of the run-up to churn or default, 1 on the last buying day. */
  double declineProgress(int day) {
    if (day < declineStartDay || buyerEndDay == NEVER) {
      return 0;
    }
    return Math.min(1.0, (day - declineStartDay) / (double) (buyerEndDay - declineStartDay));
  }

  /**
   * How much of its normal order rate the customer shows on {@code day}: decaying to about a
   * tenth before it switches supplier, to about half before a default, zero afterwards.
   */
  double orderRateFactor(int day) {
    if (day > buyerEndDay) {
      return 0;
    }
    if (day < declineStartDay) {
      return 1;
    }
    double progress = declineProgress(day);
    return churnCause == ChurnCause.SWITCHED ? Math.exp(-2.3 * progress) : 1 - 0.55 * progress;
  }

  /** The company name, drawn from its own stream so that it never shifts other values. */
  String companyName(CompanyModel model) {
    SplittableRandom r = Randoms.stream(model.seed(), index, Randoms.Stream.NAME);
    Industries.Industry ind = Industries.ALL[industry];
    String word = Randoms.pick(r, ind.nameWords());
    String surname = Randoms.pick(r, GermanTexts.SURNAMES);
    String form = legalForm(r);
    double x = r.nextDouble();
    if (segment == Segment.KLEIN && "DE".equals(region.country())
        && SOLE_TRADER_INDUSTRIES.contains(ind.name()) && x < 0.15) {
      return word + " " + Randoms.pick(r, GermanTexts.FIRST_NAMES) + " " + surname + " e.K.";
    }
    x = r.nextDouble();
    if (x < 0.36) {
      return surname + " " + word + " " + form;
    }
    if (x < 0.44) {
      return surname + " & " + otherSurname(r, surname) + " " + word + " " + form;
    }
    if (x < 0.52) {
      return surname + " & " + otherSurname(r, surname) + " " + form;
    }
    if (x < 0.72) {
      return Randoms.pick(r, region.adjectives()) + " " + word + " " + form;
    }
    if (x < 0.86) {
      return word + " " + surname + " " + form;
    }
    return Randoms.pick(r, GermanTexts.FANTASY_PREFIXES) + " " + word + " " + form;
  }

  private static String otherSurname(SplittableRandom r, String first) {
    String other = Randoms.pick(r, GermanTexts.SURNAMES);
    return other.equals(first) ? Randoms.pick(r, GermanTexts.SURNAMES) : other;
  }

  private String legalForm(SplittableRandom r) {
    switch (region.country()) {
      case "AT":
        return Randoms.pick(r, new String[] {"GmbH", "GmbH", "GmbH", "AG", "KG", "GmbH & Co KG"});
      case "CH":
        return Randoms.pick(r, new String[] {"AG", "AG", "GmbH"});
      default:
        break;
    }
    double[] weights = switch (segment) {
      // GmbH, GmbH & Co. KG, KG, AG, SE, UG (haftungsbeschränkt)
      case KLEIN -> new double[] {0.62, 0.15, 0.12, 0.0, 0.0, 0.11};
      case MITTEL -> new double[] {0.55, 0.30, 0.10, 0.05, 0.0, 0.0};
      case GROSS -> new double[] {0.40, 0.35, 0.02, 0.20, 0.03, 0.0};
      case KEY_ACCOUNT -> new double[] {0.20, 0.30, 0.0, 0.40, 0.10, 0.0};
    };
    return new String[] {"GmbH", "GmbH & Co. KG", "KG", "AG", "SE", "UG (haftungsbeschränkt)"}
        [Randoms.weighted(r, weights)];
  }
}

package org.crmanalytics.tools.generate;

/**
 * Size segments as sales uses them, with the behaviour that differs by size: larger customers
 * order more often, in larger baskets and quantities, get better discounts and longer payment
 * terms, and see their rep more often.
 */
enum Segment {
  // label, orders/yr, lines, qty factor, terms, discount, credit limit, leads/yr, visits/yr,
  // meetings/yr, complaints/yr, requests/yr, initial groups
  KLEIN("Klein",       1.8, 2.2, 0.6,  14, 0.02,    5_000,    25_000, 0.4,  1.0, 0.2, 0.35, 0.5, 2),
  MITTEL("Mittel",     3.5, 2.8, 1.0,  30, 0.06,   25_000,   100_000, 1.2,  3.0, 0.5, 0.70, 1.0, 3),
  GROSS("Groß",        7.0, 3.4, 1.8,  30, 0.10,  100_000,   500_000, 2.5,  6.0, 1.5, 1.40, 2.0, 4),
  KEY_ACCOUNT("Key Account", 14.0, 4.0, 3.0, 60, 0.15, 500_000, 2_000_000, 5.0, 12.0, 4.0, 2.80,
      3.5, 6);

  final String label;
  /** Regular orders per year for a customer of average propensity. */
  final double ordersPerYear;
  final double meanLines;
  final double quantityFactor;
  final int paymentTermDays;
  final double baseDiscount;
  final long creditMin;
  final long creditMax;
  final double leadsPerYear;
  /** Visits per year when the customer is served in the field. */
  final double visitsPerYear;
  final double meetingsPerYear;
  final double complaintsPerYear;
  final double requestsPerYear;
  /** Product groups a customer of this size already buys when the history begins. */
  final int initialGroups;

  Segment(String label, double ordersPerYear, double meanLines, double quantityFactor,
      int paymentTermDays, double baseDiscount, long creditMin, long creditMax,
      double leadsPerYear, double visitsPerYear, double meetingsPerYear,
      double complaintsPerYear, double requestsPerYear, int initialGroups) {
    this.label = label;
    this.ordersPerYear = ordersPerYear;
    this.meanLines = meanLines;
    this.quantityFactor = quantityFactor;
    this.paymentTermDays = paymentTermDays;
    this.baseDiscount = baseDiscount;
    this.creditMin = creditMin;
    this.creditMax = creditMax;
    this.leadsPerYear = leadsPerYear;
    this.visitsPerYear = visitsPerYear;
    this.meetingsPerYear = meetingsPerYear;
    this.complaintsPerYear = complaintsPerYear;
    this.requestsPerYear = requestsPerYear;
    this.initialGroups = initialGroups;
  }

  static Segment ofEmployees(int employees) {
    if (employees >= 1000) {
      return KEY_ACCOUNT;
    }
    if (employees >= 250) {
      return GROSS;
    }
    if (employees >= 50) {
      return MITTEL;
    }
    return KLEIN;
  }
}

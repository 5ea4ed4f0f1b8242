package org.crmanalytics.models.paymentrisk;

import java.math.BigDecimal;
import java.util.Set;

/**
 * What credit management should do about a customer: the action when the default probability is at
 * least {@code minProbability} and the exposure at least {@code minExposure}. Rules are tried in
 * the configured order and the first that matches names the customer's action
 * ({@code payment_risk.actions}, none by default).
 */
public record ActionRule(String action, double minProbability, BigDecimal minExposure) {
  public static final String CREDIT_HOLD = "credit_hold";
  public static final String PREPAYMENT = "prepayment";
  public static final String ESCALATE_DUNNING = "escalate_dunning";
  public static final String REVIEW = "review";
  public static final Set<String> ACTIONS = Set.of(CREDIT_HOLD, PREPAYMENT, ESCALATE_DUNNING, REVIEW);

  public ActionRule {
    if (!ACTIONS.contains(action)) {
      throw new IllegalArgumentException("action must be one of " + new java.util.TreeSet<>(ACTIONS) + ", found '"
          + action + "'");
    }
    if (!(minProbability >= 0 && minProbability <= 1)) {
      throw new IllegalArgumentException("min_probability must be from 0 to 1, found " + minProbability);
    }
    if (minExposure == null || minExposure.signum() < 0) {
      throw new IllegalArgumentException("min_exposure must be 0 or more, found " + minExposure);
    }
  }
}

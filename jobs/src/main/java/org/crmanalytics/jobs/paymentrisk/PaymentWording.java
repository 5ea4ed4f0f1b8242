package org.crmanalytics.jobs.paymentrisk;

import java.io.Serializable;
import java.util.Map;
import org.crmanalytics.jobs.base.Bundles;
import org.crmanalytics.jobs.classify.ReasonTexts;
import org.crmanalytics.jobs.classify.ReasonWordings;
import org.crmanalytics.models.explain.FeatureLabels;
import org.crmanalytics.models.explain.FeatureLabels.Better;
import org.crmanalytics.models.explain.ReasonWording;
import org.crmanalytics.models.explain.ValueFormat;
import org.crmanalytics.models.explain.ValueFormat.Language;
import org.crmanalytics.models.payments.Receivables;

/**
 * The payment-risk texts in both languages, from {@code i18n/reasons_<lang>.properties}: the
 * receivables features' labels, why a customer is in default, and why an action applies.
 */
final class PaymentWording implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ReasonTexts texts;

  /** @param currency the company's currency, an ISO 4217 code */
  PaymentWording(String currency) {
    texts = new ReasonTexts(currency);
  }

  /** The receivables features with their formats, worded by the {@code feature.*} keys, amounts in {@code currency}. */
  static FeatureLabels labels(String currency) {
    FeatureLabels l = ReasonWordings.snapshotLabels(currency);
    // Which side is better decides whether a reason can be shown (docs/explanations.md): more
    // overdue, later payment or more dunning is worse; exposure and open orders are neither.
    for (String money : new String[] {Receivables.OPEN_RECEIVABLES, Receivables.OPEN_ORDERS, Receivables.EXPOSURE}) {
      l = l.with(money, ValueFormat.MONEY, Better.EITHER);
    }
    for (String money : new String[] {Receivables.OVERDUE_RECEIVABLES, Receivables.OVERDUE_1_30,
        Receivables.OVERDUE_31_60, Receivables.OVERDUE_61_90, Receivables.OVERDUE_OVER_90}) {
      l = l.with(money, ValueFormat.MONEY, Better.LOWER);
    }
    for (String days : new String[] {Receivables.MAX_DAYS_PAST_DUE, Receivables.WEIGHTED_DAYS_LATE_3M,
        Receivables.WEIGHTED_DAYS_LATE_12M, Receivables.DAYS_SINCE_LAST_PAYMENT}) {
      l = l.with(days, ValueFormat.DAYS, Better.LOWER);
    }
    for (String share : new String[] {Receivables.SHARE_PAID_LATE_3M, Receivables.SHARE_PAID_LATE_12M,
        Receivables.CREDIT_LIMIT_UTILISATION}) {
      l = l.with(share, ValueFormat.PERCENT, Better.LOWER);
    }
    // Taking the early-payment discount shows liquidity; a drop in it is an early warning.
    for (String share : new String[] {Receivables.SKONTO_SHARE_3M, Receivables.SKONTO_SHARE_PREV_12M,
        Receivables.SKONTO_CHANGE}) {
      l = l.with(share, ValueFormat.PERCENT, Better.HIGHER);
    }
    for (String count : new String[] {Receivables.PARTIAL_PAYMENTS_12M, Receivables.DUNNING_LEVEL_MAX,
        Receivables.DUNNING_NOTICES_12M, Receivables.INVOICE_COMPLAINTS_12M}) {
      l = l.with(count, ValueFormat.COUNT, Better.LOWER);
    }
    l = l.with(Receivables.ORDER_VALUE_3M_VS_12M, ValueFormat.NUMBER, Better.EITHER);
    // The snapshot's days_late_trend compares years; the receivables' compares 3 with 12 months.
    Map<String, String> en = Bundles.load("reasons", ReasonWordings.locale(Language.EN));
    Map<String, String> de = Bundles.load("reasons", ReasonWordings.locale(Language.DE));
    return l.with(Receivables.DAYS_LATE_TREND, new FeatureLabels.Label(en.get("payment.days_late_trend"),
        de.get("payment.days_late_trend"), ValueFormat.DAYS), Better.LOWER);
  }

  /** Why a customer in default counts as one: the overdue amount and the oldest open invoice's days past due. */
  String inDefault(Language language, double overdue, int maxDaysPastDue) {
    ReasonWording w = texts.wording(language);
    return ReasonWording.fill(text(language, "payment.in_default"), ValueFormat.MONEY.format(overdue, w),
        ValueFormat.DAYS.format((double) maxDaysPastDue, w));
  }

  /** Why {@code action} applies: the probability and exposure against the rule's thresholds. */
  String action(Language language, String action, double probability, double minProbability, double exposure,
      double minExposure) {
    ReasonWording w = texts.wording(language);
    return ReasonWording.fill(text(language, "action.reason"), text(language, "action." + action),
        ValueFormat.PERCENT.format(probability, w), ValueFormat.PERCENT.format(minProbability, w),
        ValueFormat.MONEY.format(exposure, w), ValueFormat.MONEY.format(minExposure, w));
  }

  private String text(Language language, String key) {
    return texts.text(language, key);
  }
}

package org.crmanalytics.models.explain;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmanalytics.models.explain.ValueFormat.Language;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * The features a reason can name, with their value formats: every numeric column of the customer
 * snapshot (docs/features.md), windowed columns for any window length. Their labels come from the
 * {@link ReasonWording} of each language; a name the wording does not know reads as the column
 * name, and a column the catalogue does not know also with {@link ValueFormat#NUMBER}.
 */
public final class FeatureLabels implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A feature's label in each language and how its value reads. */
  public record Label(String en, String de, ValueFormat format) implements Serializable {}

  private static final Pattern WINDOWED = Pattern.compile("(order_count|revenue|visits|calls)_(\\d+)d");
  private static final Map<String, ValueFormat> WINDOW_FORMATS = Map.of("order_count", ValueFormat.COUNT,
      "revenue", ValueFormat.MONEY, "visits", ValueFormat.COUNT, "calls", ValueFormat.COUNT);

  private final Map<String, ValueFormat> formats;
  private final Map<String, Label> own;
  private final ReasonWording en;
  private final ReasonWording de;

  private FeatureLabels(Map<String, ValueFormat> formats, Map<String, Label> own, ReasonWording en, ReasonWording de) {
    this.formats = Map.copyOf(formats);
    this.own = Map.copyOf(own);
    this.en = en;
    this.de = de;
  }

  /** The catalogue of the snapshot's columns, worded in English and German. */
  public static FeatureLabels snapshot(ReasonWording en, ReasonWording de) {
    Map<String, ValueFormat> m = new LinkedHashMap<>();
    m.put(CustomerSnapshot.EMPLOYEES, ValueFormat.COUNT);
    m.put(CustomerSnapshot.CREDIT_LIMIT, ValueFormat.MONEY);
    m.put(CustomerSnapshot.CUSTOMER_AGE_DAYS, ValueFormat.DAYS);
    m.put(CustomerSnapshot.DAYS_SINCE_LAST_ORDER, ValueFormat.DAYS);
    m.put(CustomerSnapshot.DAYS_SINCE_FIRST_ORDER, ValueFormat.DAYS);
    m.put(CustomerSnapshot.ORDER_COUNT_12M, ValueFormat.COUNT);
    m.put(CustomerSnapshot.ORDER_COUNT_PREV_12M, ValueFormat.COUNT);
    m.put(CustomerSnapshot.REVENUE_12M, ValueFormat.MONEY);
    m.put(CustomerSnapshot.REVENUE_PREV_12M, ValueFormat.MONEY);
    m.put(CustomerSnapshot.REVENUE_TREND, ValueFormat.PERCENT);
    m.put(CustomerSnapshot.MARGIN_12M, ValueFormat.MONEY);
    m.put(CustomerSnapshot.MARGIN_PREV_12M, ValueFormat.MONEY);
    m.put(CustomerSnapshot.MARGIN_TREND, ValueFormat.PERCENT);
    m.put(CustomerSnapshot.ORDER_DAYS, ValueFormat.COUNT);
    m.put(CustomerSnapshot.MEAN_ORDER_GAP_DAYS, ValueFormat.DAYS);
    m.put(CustomerSnapshot.LAST_ORDER_GAP_DAYS, ValueFormat.DAYS);
    m.put(CustomerSnapshot.LAST_GAP_VS_MEAN_GAP, ValueFormat.NUMBER);
    m.put(CustomerSnapshot.RECENCY_VS_MEAN_GAP, ValueFormat.NUMBER);
    m.put(CustomerSnapshot.PRODUCT_GROUP_COUNT_12M, ValueFormat.COUNT);
    m.put(CustomerSnapshot.RETURN_SHARE_12M, ValueFormat.PERCENT);
    m.put(CustomerSnapshot.DAYS_SINCE_LAST_VISIT, ValueFormat.DAYS);
    m.put(CustomerSnapshot.OPEN_OFFERS, ValueFormat.COUNT);
    m.put(CustomerSnapshot.OPEN_OFFER_VALUE, ValueFormat.MONEY);
    m.put(CustomerSnapshot.OFFERS_WON_12M, ValueFormat.COUNT);
    m.put(CustomerSnapshot.OFFERS_LOST_12M, ValueFormat.COUNT);
    m.put(CustomerSnapshot.OFFER_WIN_RATE_12M, ValueFormat.PERCENT);
    m.put(CustomerSnapshot.OPEN_COMPLAINTS, ValueFormat.COUNT);
    m.put(CustomerSnapshot.COMPLAINTS_12M, ValueFormat.COUNT);
    m.put(CustomerSnapshot.OVERDUE_TICKETS, ValueFormat.COUNT);
    m.put(CustomerSnapshot.MEAN_DAYS_TO_RESOLVE_12M, ValueFormat.DAYS);
    m.put(CustomerSnapshot.MEAN_DAYS_LATE_12M, ValueFormat.DAYS);
    m.put(CustomerSnapshot.MEAN_DAYS_LATE_PREV_12M, ValueFormat.DAYS);
    m.put(CustomerSnapshot.DAYS_LATE_TREND, ValueFormat.DAYS);
    m.put(CustomerSnapshot.SHARE_PAID_LATE_12M, ValueFormat.PERCENT);
    m.put(CustomerSnapshot.MAX_DUNNING_LEVEL_12M, ValueFormat.COUNT);
    m.put(CustomerSnapshot.OPEN_RECEIVABLES, ValueFormat.MONEY);
    m.put(CustomerSnapshot.OVERDUE_RECEIVABLES, ValueFormat.MONEY);
    m.put(CustomerSnapshot.CREDIT_LIMIT_UTILISATION, ValueFormat.PERCENT);
    m.put(CustomerSnapshot.CAMPAIGN_RESPONSES_12M, ValueFormat.COUNT);
    return new FeatureLabels(m, Map.of(), en, de);
  }

  /** The wording of {@code language}. */
  public ReasonWording wording(Language language) {
    return language == Language.EN ? en : de;
  }

  /** This catalogue plus (or with a replaced) feature another stage derives, labelled by the wordings. */
  public FeatureLabels with(String feature, ValueFormat format) {
    Map<String, ValueFormat> m = new LinkedHashMap<>(formats);
    m.put(feature, format);
    Map<String, Label> o = new LinkedHashMap<>(own);
    o.remove(feature);
    return new FeatureLabels(m, o, en, de);
  }

  /** This catalogue plus (or with a replaced) feature with labels of its own. */
  public FeatureLabels with(String feature, Label label) {
    Map<String, Label> o = new LinkedHashMap<>(own);
    o.put(feature, label);
    return new FeatureLabels(formats, o, en, de);
  }

  /** Whether {@code feature} has its own label rather than the fallback. */
  public boolean knows(String feature) {
    return own.containsKey(feature) || formats.containsKey(feature) || WINDOWED.matcher(feature).matches();
  }

  /** The features of the catalogue (windowed ones excepted), whose labels the wordings must have. */
  public java.util.Set<String> features() {
    return formats.keySet();
  }

  public Label label(String feature) {
    Label mine = own.get(feature);
    if (mine != null) {
      return mine;
    }
    ValueFormat format = formats.get(feature);
    if (format != null) {
      return new Label(en.features().getOrDefault(feature, feature), de.features().getOrDefault(feature, feature),
          format);
    }
    Matcher w = WINDOWED.matcher(feature);
    if (w.matches()) {
      String kind = w.group(1);
      return new Label(window(en, kind, w.group(2), feature), window(de, kind, w.group(2), feature),
          WINDOW_FORMATS.get(kind));
    }
    return new Label(feature, feature, ValueFormat.NUMBER);
  }

  private static String window(ReasonWording wording, String kind, String days, String feature) {
    String template = wording.windows().get(kind);
    return template == null ? feature : ReasonWording.fill(template, days);
  }
}

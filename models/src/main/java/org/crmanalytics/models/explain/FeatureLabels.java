package org.crmanalytics.models.explain;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmanalytics.models.explain.ValueFormat.Language;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * The features a reason can name, with their value formats and which way is better for the
 * customer relationship: every numeric column of the customer snapshot (docs/features.md),
 * windowed columns for any window length. Their labels come from the {@link ReasonWording} of each
 * language; a name the wording does not know reads as the column name, and a column the catalogue
 * does not know also with {@link ValueFormat#NUMBER} and {@link Better#EITHER}.
 */
public final class FeatureLabels implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A feature's label in each language and how its value reads. */
  public record Label(String en, String de, ValueFormat format) implements Serializable {}

  /**
   * Which value of a feature a person reads as the better one (more orders, fewer complaints): a
   * reason is only shown when the customer's value lies on the side its contribution points to.
   */
  public enum Better {
    HIGHER,
    LOWER,
    /** No side is better (company size, credit limit): any clear difference can be a reason. */
    EITHER
  }

  private static final Pattern WINDOWED = Pattern.compile("(order_count|revenue|visits|calls)_(\\d+)d");
  private static final Map<String, ValueFormat> WINDOW_FORMATS = Map.of("order_count", ValueFormat.COUNT,
      "revenue", ValueFormat.MONEY, "visits", ValueFormat.COUNT, "calls", ValueFormat.COUNT);

  private final Map<String, ValueFormat> formats;
  private final Map<String, Better> betters;
  private final Map<String, Label> own;
  private final ReasonWording en;
  private final ReasonWording de;

  private FeatureLabels(Map<String, ValueFormat> formats, Map<String, Better> betters, Map<String, Label> own,
      ReasonWording en, ReasonWording de) {
    this.formats = Map.copyOf(formats);
    this.betters = Map.copyOf(betters);
    this.own = Map.copyOf(own);
    this.en = en;
    this.de = de;
  }

  /** The catalogue of the snapshot's columns, worded in English and German. */
  public static FeatureLabels snapshot(ReasonWording en, ReasonWording de) {
    Map<String, ValueFormat> m = new LinkedHashMap<>();
    Map<String, Better> b = new LinkedHashMap<>();
    put(m, b, CustomerSnapshot.EMPLOYEES, ValueFormat.COUNT, Better.EITHER);
    put(m, b, CustomerSnapshot.CREDIT_LIMIT, ValueFormat.MONEY, Better.EITHER);
    put(m, b, CustomerSnapshot.CUSTOMER_AGE_DAYS, ValueFormat.DAYS, Better.HIGHER);
    put(m, b, CustomerSnapshot.DAYS_SINCE_LAST_ORDER, ValueFormat.DAYS, Better.LOWER);
    put(m, b, CustomerSnapshot.DAYS_SINCE_FIRST_ORDER, ValueFormat.DAYS, Better.HIGHER);
    put(m, b, CustomerSnapshot.ORDER_COUNT_12M, ValueFormat.COUNT, Better.HIGHER);
    put(m, b, CustomerSnapshot.ORDER_COUNT_PREV_12M, ValueFormat.COUNT, Better.HIGHER);
    put(m, b, CustomerSnapshot.REVENUE_12M, ValueFormat.MONEY, Better.HIGHER);
    put(m, b, CustomerSnapshot.REVENUE_PREV_12M, ValueFormat.MONEY, Better.HIGHER);
    put(m, b, CustomerSnapshot.REVENUE_TREND, ValueFormat.PERCENT, Better.HIGHER);
    put(m, b, CustomerSnapshot.MARGIN_12M, ValueFormat.MONEY, Better.HIGHER);
    put(m, b, CustomerSnapshot.MARGIN_PREV_12M, ValueFormat.MONEY, Better.HIGHER);
    put(m, b, CustomerSnapshot.MARGIN_TREND, ValueFormat.PERCENT, Better.HIGHER);
    put(m, b, CustomerSnapshot.ORDER_DAYS, ValueFormat.COUNT, Better.HIGHER);
    put(m, b, CustomerSnapshot.MEAN_ORDER_GAP_DAYS, ValueFormat.DAYS, Better.LOWER);
    put(m, b, CustomerSnapshot.LAST_ORDER_GAP_DAYS, ValueFormat.DAYS, Better.LOWER);
    put(m, b, CustomerSnapshot.LAST_GAP_VS_MEAN_GAP, ValueFormat.NUMBER, Better.LOWER);
    put(m, b, CustomerSnapshot.RECENCY_VS_MEAN_GAP, ValueFormat.NUMBER, Better.LOWER);
    put(m, b, CustomerSnapshot.PRODUCT_GROUP_COUNT_12M, ValueFormat.COUNT, Better.HIGHER);
    put(m, b, CustomerSnapshot.RETURN_SHARE_12M, ValueFormat.PERCENT, Better.LOWER);
    put(m, b, CustomerSnapshot.DAYS_SINCE_LAST_VISIT, ValueFormat.DAYS, Better.LOWER);
    put(m, b, CustomerSnapshot.OPEN_OFFERS, ValueFormat.COUNT, Better.EITHER);
    put(m, b, CustomerSnapshot.OPEN_OFFER_VALUE, ValueFormat.MONEY, Better.EITHER);
    put(m, b, CustomerSnapshot.OFFERS_WON_12M, ValueFormat.COUNT, Better.HIGHER);
    put(m, b, CustomerSnapshot.OFFERS_LOST_12M, ValueFormat.COUNT, Better.LOWER);
    put(m, b, CustomerSnapshot.OFFER_WIN_RATE_12M, ValueFormat.PERCENT, Better.HIGHER);
    put(m, b, CustomerSnapshot.OPEN_COMPLAINTS, ValueFormat.COUNT, Better.LOWER);
    put(m, b, CustomerSnapshot.COMPLAINTS_12M, ValueFormat.COUNT, Better.LOWER);
    put(m, b, CustomerSnapshot.OVERDUE_TICKETS, ValueFormat.COUNT, Better.LOWER);
    put(m, b, CustomerSnapshot.MEAN_DAYS_TO_RESOLVE_12M, ValueFormat.DAYS, Better.LOWER);
    put(m, b, CustomerSnapshot.MEAN_DAYS_LATE_12M, ValueFormat.DAYS, Better.LOWER);
    put(m, b, CustomerSnapshot.MEAN_DAYS_LATE_PREV_12M, ValueFormat.DAYS, Better.LOWER);
    put(m, b, CustomerSnapshot.DAYS_LATE_TREND, ValueFormat.DAYS, Better.LOWER);
    put(m, b, CustomerSnapshot.SHARE_PAID_LATE_12M, ValueFormat.PERCENT, Better.LOWER);
    put(m, b, CustomerSnapshot.MAX_DUNNING_LEVEL_12M, ValueFormat.COUNT, Better.LOWER);
    put(m, b, CustomerSnapshot.OPEN_RECEIVABLES, ValueFormat.MONEY, Better.EITHER);
    put(m, b, CustomerSnapshot.OVERDUE_RECEIVABLES, ValueFormat.MONEY, Better.LOWER);
    put(m, b, CustomerSnapshot.CREDIT_LIMIT_UTILISATION, ValueFormat.PERCENT, Better.LOWER);
    put(m, b, CustomerSnapshot.CAMPAIGN_RESPONSES_12M, ValueFormat.COUNT, Better.HIGHER);
    return new FeatureLabels(m, b, Map.of(), en, de);
  }

  private static void put(Map<String, ValueFormat> formats, Map<String, Better> betters, String feature,
      ValueFormat format, Better better) {
    formats.put(feature, format);
    betters.put(feature, better);
  }

  /** The wording of {@code language}. */
  public ReasonWording wording(Language language) {
    return language == Language.EN ? en : de;
  }

  /** This catalogue plus (or with a replaced) feature another stage derives, labelled by the wordings. */
  public FeatureLabels with(String feature, ValueFormat format, Better better) {
    Map<String, ValueFormat> m = new LinkedHashMap<>(formats);
    m.put(feature, format);
    Map<String, Better> b = new LinkedHashMap<>(betters);
    b.put(feature, better);
    Map<String, Label> o = new LinkedHashMap<>(own);
    o.remove(feature);
    return new FeatureLabels(m, b, o, en, de);
  }

  /** This catalogue plus (or with a replaced) feature with labels of its own. */
  public FeatureLabels with(String feature, Label label, Better better) {
    Map<String, Label> o = new LinkedHashMap<>(own);
    o.put(feature, label);
    Map<String, Better> b = new LinkedHashMap<>(betters);
    b.put(feature, better);
    return new FeatureLabels(formats, b, o, en, de);
  }

  /** Which value of {@code feature} is the better one; windowed counts and revenue: higher. */
  public Better better(String feature) {
    Better known = betters.get(feature);
    if (known != null) {
      return known;
    }
    return WINDOWED.matcher(feature).matches() ? Better.HIGHER : Better.EITHER;
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

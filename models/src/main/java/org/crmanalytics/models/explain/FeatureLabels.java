package org.crmanalytics.models.explain;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * English and German labels and value formats of the features a reason can name: every numeric
 * column of the customer snapshot (docs/features.md), windowed columns for any window length. A name
 * the catalogue does not know reads as the column name with {@link ValueFormat#NUMBER}.
 */
public final class FeatureLabels implements Serializable {
  private static final long serialVersionUID = 1L;

  public record Label(String en, String de, ValueFormat format) implements Serializable {}

  private static final Pattern WINDOWED = Pattern.compile("(order_count|revenue|visits|calls)_(\\d+)d");

  private final Map<String, Label> labels;

  private FeatureLabels(Map<String, Label> labels) {
    this.labels = Map.copyOf(labels);
  }

  /** The catalogue of the snapshot's columns. */
  public static FeatureLabels snapshot() {
    Map<String, Label> m = new LinkedHashMap<>();
    put(m, CustomerSnapshot.EMPLOYEES, "number of employees", "Anzahl der Mitarbeitenden", ValueFormat.COUNT);
    put(m, CustomerSnapshot.CREDIT_LIMIT, "credit limit", "Kreditlimit", ValueFormat.MONEY);
    put(m, CustomerSnapshot.CUSTOMER_AGE_DAYS, "customer for", "Kunde seit", ValueFormat.DAYS);
    put(m, CustomerSnapshot.DAYS_SINCE_LAST_ORDER, "time since the last order", "Zeit seit dem letzten Auftrag",
        ValueFormat.DAYS);
    put(m, CustomerSnapshot.DAYS_SINCE_FIRST_ORDER, "time since the first order", "Zeit seit dem ersten Auftrag",
        ValueFormat.DAYS);
    put(m, CustomerSnapshot.ORDER_COUNT_12M, "orders in the last 12 months", "Aufträge der letzten 12 Monate",
        ValueFormat.COUNT);
    put(m, CustomerSnapshot.ORDER_COUNT_PREV_12M, "orders in the 12 months before",
        "Aufträge in den 12 Monaten davor", ValueFormat.COUNT);
    put(m, CustomerSnapshot.REVENUE_12M, "revenue in the last 12 months", "Umsatz der letzten 12 Monate",
        ValueFormat.MONEY);
    put(m, CustomerSnapshot.REVENUE_PREV_12M, "revenue in the 12 months before", "Umsatz in den 12 Monaten davor",
        ValueFormat.MONEY);
    put(m, CustomerSnapshot.REVENUE_TREND, "revenue change vs. the year before", "Umsatzentwicklung zum Vorjahr",
        ValueFormat.PERCENT);
    put(m, CustomerSnapshot.MARGIN_12M, "margin in the last 12 months", "Deckungsbeitrag der letzten 12 Monate",
        ValueFormat.MONEY);
    put(m, CustomerSnapshot.MARGIN_PREV_12M, "margin in the 12 months before",
        "Deckungsbeitrag in den 12 Monaten davor", ValueFormat.MONEY);
    put(m, CustomerSnapshot.MARGIN_TREND, "margin change vs. the year before",
        "Entwicklung des Deckungsbeitrags zum Vorjahr", ValueFormat.PERCENT);
    put(m, CustomerSnapshot.ORDER_DAYS, "days with orders", "Tage mit Aufträgen", ValueFormat.COUNT);
    put(m, CustomerSnapshot.MEAN_ORDER_GAP_DAYS, "usual time between orders", "übliche Zeit zwischen Aufträgen",
        ValueFormat.DAYS);
    put(m, CustomerSnapshot.LAST_ORDER_GAP_DAYS, "time between the last two orders",
        "Zeit zwischen den letzten beiden Aufträgen", ValueFormat.DAYS);
    put(m, CustomerSnapshot.LAST_GAP_VS_MEAN_GAP, "last gap between orders vs. the usual gap",
        "letzter Abstand zwischen Aufträgen im Verhältnis zum üblichen", ValueFormat.NUMBER);
    put(m, CustomerSnapshot.RECENCY_VS_MEAN_GAP, "time since the last order vs. the usual gap",
        "Zeit seit dem letzten Auftrag im Verhältnis zum üblichen Abstand", ValueFormat.NUMBER);
    put(m, CustomerSnapshot.PRODUCT_GROUP_COUNT_12M, "product groups bought in the last 12 months",
        "gekaufte Produktgruppen der letzten 12 Monate", ValueFormat.COUNT);
    put(m, CustomerSnapshot.RETURN_SHARE_12M, "share of ordered value returned (12 months)",
        "Retourenquote (12 Monate)", ValueFormat.PERCENT);
    put(m, CustomerSnapshot.DAYS_SINCE_LAST_VISIT, "time since the last visit", "Zeit seit dem letzten Besuch",
        ValueFormat.DAYS);
    put(m, CustomerSnapshot.OPEN_OFFERS, "open offers", "offene Angebote", ValueFormat.COUNT);
    put(m, CustomerSnapshot.OPEN_OFFER_VALUE, "value of open offers", "Wert offener Angebote", ValueFormat.MONEY);
    put(m, CustomerSnapshot.OFFERS_WON_12M, "offers won in the last 12 months",
        "gewonnene Angebote der letzten 12 Monate", ValueFormat.COUNT);
    put(m, CustomerSnapshot.OFFERS_LOST_12M, "offers lost in the last 12 months",
        "verlorene Angebote der letzten 12 Monate", ValueFormat.COUNT);
    put(m, CustomerSnapshot.OFFER_WIN_RATE_12M, "offer win rate (12 months)", "Angebotserfolgsquote (12 Monate)",
        ValueFormat.PERCENT);
    put(m, CustomerSnapshot.OPEN_COMPLAINTS, "open complaints", "offene Reklamationen", ValueFormat.COUNT);
    put(m, CustomerSnapshot.COMPLAINTS_12M, "complaints in the last 12 months", "Reklamationen der letzten 12 Monate",
        ValueFormat.COUNT);
    put(m, CustomerSnapshot.OVERDUE_TICKETS, "overdue tickets", "überfällige Tickets", ValueFormat.COUNT);
    put(m, CustomerSnapshot.MEAN_DAYS_TO_RESOLVE_12M, "mean time to resolve a ticket (12 months)",
        "mittlere Bearbeitungszeit der Tickets (12 Monate)", ValueFormat.DAYS);
    put(m, CustomerSnapshot.MEAN_DAYS_LATE_12M, "mean payment delay (12 months)", "mittlerer Zahlungsverzug (12 Monate)",
        ValueFormat.DAYS);
    put(m, CustomerSnapshot.MEAN_DAYS_LATE_PREV_12M, "mean payment delay in the 12 months before",
        "mittlerer Zahlungsverzug in den 12 Monaten davor", ValueFormat.DAYS);
    put(m, CustomerSnapshot.DAYS_LATE_TREND, "change of the payment delay vs. the year before",
        "Veränderung des Zahlungsverzugs zum Vorjahr", ValueFormat.DAYS);
    put(m, CustomerSnapshot.SHARE_PAID_LATE_12M, "invoices paid late (12 months)",
        "verspätet bezahlte Rechnungen (12 Monate)", ValueFormat.PERCENT);
    put(m, CustomerSnapshot.MAX_DUNNING_LEVEL_12M, "highest dunning level (12 months)", "höchste Mahnstufe (12 Monate)",
        ValueFormat.COUNT);
    put(m, CustomerSnapshot.OPEN_RECEIVABLES, "open receivables", "offene Forderungen", ValueFormat.MONEY);
    put(m, CustomerSnapshot.OVERDUE_RECEIVABLES, "overdue receivables", "überfällige Forderungen", ValueFormat.MONEY);
    put(m, CustomerSnapshot.CREDIT_LIMIT_UTILISATION, "credit limit used", "Auslastung des Kreditlimits",
        ValueFormat.PERCENT);
    put(m, CustomerSnapshot.CAMPAIGN_RESPONSES_12M, "campaign responses in the last 12 months",
        "Reaktionen auf Kampagnen der letzten 12 Monate", ValueFormat.COUNT);
    return new FeatureLabels(m);
  }

  private static void put(Map<String, Label> m, String feature, String en, String de, ValueFormat format) {
    m.put(feature, new Label(en, de, format));
  }

  /** This catalogue plus (or with a replaced) label for a feature another stage derives. */
  public FeatureLabels with(String feature, Label label) {
    Map<String, Label> m = new LinkedHashMap<>(labels);
    m.put(feature, label);
    return new FeatureLabels(m);
  }

  /** Whether {@code feature} has its own label rather than the fallback. */
  public boolean knows(String feature) {
    return labels.containsKey(feature) || WINDOWED.matcher(feature).matches();
  }

  public Label label(String feature) {
    Label known = labels.get(feature);
    if (known != null) {
      return known;
    }
    Matcher w = WINDOWED.matcher(feature);
    if (w.matches()) {
      String days = w.group(2);
      return switch (w.group(1)) {
        case "order_count" -> new Label("orders in the last " + days + " days", "Aufträge der letzten " + days
            + " Tage", ValueFormat.COUNT);
        case "revenue" -> new Label("revenue in the last " + days + " days", "Umsatz der letzten " + days + " Tage",
            ValueFormat.MONEY);
        case "visits" -> new Label("visits in the last " + days + " days", "Besuche der letzten " + days + " Tage",
            ValueFormat.COUNT);
        default -> new Label("calls in the last " + days + " days", "Anrufe der letzten " + days + " Tage",
            ValueFormat.COUNT);
      };
    }
    return new Label(feature, feature, ValueFormat.NUMBER);
  }
}

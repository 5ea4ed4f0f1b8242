package org.crmanalytics.models.explain;

import java.io.Serializable;
import java.util.Map;

/**
 * The words of reason sentences in one language, supplied by the caller (the jobs module reads
 * them from its resource bundles): models builds the sentences but holds no natural-language text.
 * Templates use {@code {0}}, {@code {1}}, ... for their arguments.
 *
 * @param features label per feature column ("orders in the last 12 months")
 * @param windows label template per windowed feature kind (order_count, revenue, visits, calls), {0}
 *     the days
 * @param peerGroups per peer-group column ("industry"), how a group of it is named, {0} the group's
 *     value ("industry Retail", "der Branche Handel")
 * @param reason a feature and its value, "{0}: {1}" ({0} the label, {1} the value), unless the label
 *     has a sentence of its own (see {@link #noun})
 * @param reasonWithTypical {0} the reason, {1} the typical value of the customer's own (finest) peer
 *     group
 * @param reasonWithGroupTypical as reasonWithTypical, from a coarser peer group named by {2}
 * @param reasonWithAllTypical as reasonWithTypical, from all customers
 * @param noValue shown for a missing value
 * @param day a value of one day, {0} the number; {@code days} any other number of days
 * @param percent {0} the whole percent
 * @param money an amount in the company's currency, {0} the whole amount ("€{0}", "{0} €", "CHF {0}")
 * @param grouping the thousands separator; {@code decimal} the decimal separator
 */
public record ReasonWording(Map<String, String> features, Map<String, String> windows,
    Map<String, String> peerGroups, String reason, String reasonWithTypical, String reasonWithGroupTypical,
    String reasonWithAllTypical, String noValue, String day, String days, String percent, String money, char grouping,
    char decimal)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public ReasonWording {
    features = Map.copyOf(features);
    windows = Map.copyOf(windows);
    peerGroups = Map.copyOf(peerGroups);
  }

  /** "industry Retail": the group of {@code column} with the value {@code value}. */
  public String peerGroup(String column, String value) {
    String template = peerGroups.get(column);
    return template == null ? column + " " + value : fill(template, value);
  }

  /**
   * The noun of a feature's label, the value follows it ("orders in the last 12 months: 3"). A label
   * may go on, after a {@code |}, with a sentence that holds the value ("overdue more than 90
   * days|{0} overdue more than 90 days"), after a second {@code |} with the sentence for values
   * below 0 ("...|pays {0} later than a year before|pays {0} earlier than a year before"), and after a
   * third with the sentence for exactly 0, which may leave the value out ("...|takes the discount on {0}
   * of its invoices||took no discount in the last 3 months"). An empty form is the first sentence's.
   */
  public static String noun(String label) {
    int bar = label.indexOf('|');
    return bar < 0 ? label : label.substring(0, bar);
  }

  /** The sentence of {@code label} for {@code value} (see {@link #noun}); null when it has none. */
  public static String sentence(String label, double value) {
    String[] parts = label.split("\\|", -1);
    if (parts.length < 2) {
      return null;
    }
    int form = value == 0 ? 3 : value < 0 ? 2 : 1;
    return form < parts.length && !parts[form].isEmpty() ? parts[form] : parts[1];
  }

  /** {@code template} with {0}, {1}, ... replaced by {@code args}. */
  public static String fill(String template, String... args) {
    StringBuilder out = new StringBuilder(template.length() + 64);
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '{' && i + 2 < template.length() && Character.isDigit(template.charAt(i + 1))
          && template.charAt(i + 2) == '}' && template.charAt(i + 1) - '0' < args.length) {
        out.append(args[template.charAt(i + 1) - '0']);
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

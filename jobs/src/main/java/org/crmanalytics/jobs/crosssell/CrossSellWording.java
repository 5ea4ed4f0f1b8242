package org.crmanalytics.jobs.crosssell;

import java.io.Serializable;
import java.util.List;
import org.crmanalytics.jobs.classify.ReasonTexts;
import org.crmanalytics.models.crosssell.AssociationRules;
import org.crmanalytics.models.crosssell.CrossSell;
import org.crmanalytics.models.crosssell.PeerGroups;
import org.crmanalytics.models.explain.ReasonWording;
import org.crmanalytics.models.explain.ValueFormat;
import org.crmanalytics.models.explain.ValueFormat.Language;

/**
 * The cross-sell reasons in both languages, from the {@code crosssell.*} keys of
 * {@code i18n/reasons_<lang>.properties}: what a sales rep can say, with the figures and the peer
 * group (and so the peer level) the comparison used.
 */
final class CrossSellWording implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ReasonTexts texts;

  /** @param currency the company's currency, an ISO 4217 code */
  CrossSellWording(String currency) {
    texts = new ReasonTexts(currency);
  }

  /** The figures one reason quotes; the rule's are null when no rule applies. */
  record Figures(String item, String evidence, String peerLevel, String peerGroup, double penetration,
      Double medianSpend, double ownSpend, List<String> antecedent, Double confidence, Double lift, String ruleSource) {}

  String reason(Language language, Figures f) {
    if (CrossSell.ASSOCIATION_RULES.equals(f.evidence()) && f.confidence() != null && f.antecedent() != null) {
      String key = AssociationRules.BASKETS.equals(f.ruleSource()) ? "crosssell.rule.baskets" : "crosssell.rule.customers";
      return ReasonWording.fill(text(language, key), String.join(text(language, "crosssell.and"), f.antecedent()),
          f.item(), percent(language, f.confidence()), ValueFormat.NUMBER.format(f.lift(), texts.wording(language)));
    }
    if (CrossSell.COLLABORATIVE_FILTERING.equals(f.evidence())) {
      return ReasonWording.fill(text(language, "crosssell.cf"), f.item());
    }
    String own = f.ownSpend() > 0 ? ReasonWording.fill(text(language, "crosssell.own.some"), money(language, f.ownSpend()))
        : text(language, "crosssell.own.none");
    String median = money(language, f.medianSpend());
    if (f.penetration() <= 0) {
      return ReasonWording.fill(text(language, "crosssell.peers.none"), f.item(), group(language, f), median, own);
    }
    String key = PeerGroups.ALL.equals(f.peerLevel()) ? "crosssell.peers.all" : "crosssell.peers";
    return ReasonWording.fill(text(language, key), percent(language, f.penetration()), group(language, f), f.item(),
        median, own);
  }

  /** "Maschinenbau, 50–249 employees, Bayern" from the group's name "Maschinenbau | 50–249 | Bayern" and its level. */
  private String group(Language language, Figures f) {
    if (f.peerGroup() == null || PeerGroups.ALL.equals(f.peerLevel())) {
      return text(language, "crosssell.group.all");
    }
    String[] parts = f.peerGroup().split(" \\| ", -1);
    boolean sized = PeerGroups.INDUSTRY_SIZE.equals(f.peerLevel()) || PeerGroups.INDUSTRY_SIZE_REGION.equals(f.peerLevel());
    if (sized && parts.length >= 2) {
      parts[1] = ReasonWording.fill(text(language, "crosssell.employees"), parts[1]);
    }
    return String.join(", ", parts);
  }

  private String percent(Language language, double share) {
    return ValueFormat.PERCENT.format(share, texts.wording(language));
  }

  private String money(Language language, Double amount) {
    return ValueFormat.MONEY.format(amount, texts.wording(language));
  }

  private String text(Language language, String key) {
    return texts.text(language, key);
  }
}

package org.crmanalytics.jobs.churn;

import static org.crmanalytics.jobs.classify.ClassifierConfig.intIn;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.crmanalytics.jobs.classify.ClassifierConfig;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.models.churn.ChurnDefinition;
import org.crmanalytics.models.churn.ChurnSettings;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.explain.ReasonRules;

/**
 * Binds the {@code churn:} section into {@link ChurnSettings}. Every key is optional; docs/churn.md
 * lists them with their defaults.
 */
public final class ChurnConfig {
  public static final Set<String> KEYS = Set.of("active_months", "horizon_months", "training", "promotion", "bands",
      "segment_by", "reasons");
  /** Customer columns of the snapshot that can define "typical". */
  public static final Set<String> SEGMENTS = Set.of("industry", "region", "segment", "channel", "none");
  private static final String NONE = "none";

  public static final ConfigSection<ChurnSettings> SECTION =
      new ConfigSection<>("churn", ChurnSettings.class, (section, context) -> parse(section));

  private ChurnConfig() {}

  static ChurnSettings parse(ConfigNode section) {
    section.allowOnly(KEYS);
    ChurnDefinition d = ChurnDefinition.DEFAULT;
    int active = intIn(section.child("active_months"), d.activeMonths(), 1, 120);
    int horizon = intIn(section.child("horizon_months"), d.horizonMonths(), 1, 60);
    ConfigNode t = section.child("training");
    ClassifierTrainer.Settings trainer = ClassifierConfig.trainer(t);
    ClassifierConfig.Snapshots snapshots = ClassifierConfig.snapshots(t, new ClassifierConfig.Snapshots(4, 3, 3));
    ClassifierConfig.Bands bands = ClassifierConfig.bands(section.child("bands"), new ClassifierConfig.Bands(0.5, 0.2));
    List<String> peerGroups = peerGroups(section.child("segment_by"));
    ReasonRules reasons = ClassifierConfig.reasonRules(section.child("reasons"));
    return new ChurnSettings(new ChurnDefinition(active, horizon), snapshots.count(), snapshots.stepMonths(),
        snapshots.minHistoryMonths(), trainer, ClassifierConfig.promotion(section.child("promotion"), trainer.seed()),
        bands.high(), bands.medium(), peerGroups, reasons);
  }

  /**
   * {@code segment_by}: one column or a list, finest first ({@code [segment, industry]}); all
   * customers always come last, {@code none} alone means only them.
   */
  private static List<String> peerGroups(ConfigNode seg) {
    List<String> typed = seg.stringList(List.of("industry")).stream()
        .map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
    for (String column : typed) {
      if (!SEGMENTS.contains(column)) {
        throw seg.error("must be one of " + String.join(", ", new TreeSet<>(SEGMENTS)) + " or a list of them; found '"
            + column + "'");
      }
    }
    if (typed.contains(NONE)) {
      if (typed.size() > 1) {
        throw seg.error("none means all customers and stands alone; found " + typed);
      }
      return List.of();
    }
    if (new LinkedHashSet<>(typed).size() < typed.size()) {
      throw seg.error("names a column twice: " + typed);
    }
    return typed;
  }
}

package org.crmanalytics.models.classify;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The snapshot dates of one training run, each one label window (horizon) apart, so that no label
 * reaches into the next period:
 *
 * <pre>
 *  train ... train         validation V          test T                as_of A
 *  |-- labels --|                |-- labels --------|-- labels ----------|
 *               (all end &lt;= V)    (V, T]             (T, A]
 * </pre>
 *
 * The test date T is the newest whose label window is complete at the data's as_of; the validation
 * date V = T − horizon, whose labels end at T; the training dates end at V − horizon,
 * {@code stepMonths} apart. Models are fitted on the training dates and compared on V (the
 * choice); the chosen one is refitted on the training dates and V and graded once on T, which no
 * choice has seen, as a model put into production at T would not have.
 */
public record TimeSplit(List<LocalDate> trainDates, LocalDate validationDate, LocalDate testDate) {
  /** The column that says which snapshot date a labelled row belongs to. */
  public static final String SNAPSHOT_DATE = "snapshot_date";

  public TimeSplit {
    if (trainDates.isEmpty()) {
      throw new IllegalArgumentException("at least one training snapshot");
    }
    trainDates = List.copyOf(trainDates);
  }

  /**
   * The dates for data known until {@code asOf}, without regard to where the data starts (the
   * configuration check); {@link #choose} fits them to the data's span.
   *
   * @param snapshots how many training snapshots
   * @param stepMonths months between training snapshots
   */
  public static TimeSplit latest(LocalDate asOf, LabelWindow definition, int snapshots, int stepMonths) {
    if (snapshots < 1 || stepMonths < 1) {
      throw new IllegalArgumentException("snapshots and step months must be at least 1");
    }
    LocalDate test = LabelWindow.plusMonths(asOf, -definition.horizonMonths());
    LocalDate validation = LabelWindow.plusMonths(test, -definition.horizonMonths());
    LocalDate newestTrain = LabelWindow.plusMonths(validation, -definition.horizonMonths());
    List<LocalDate> train = new ArrayList<>();
    for (int k = snapshots - 1; k >= 0; k--) {
      train.add(LabelWindow.plusMonths(newestTrain, -(long) k * stepMonths));
    }
    TimeSplit split = new TimeSplit(train, validation, test);
    split.check(definition, asOf);
    return split;
  }

  /**
   * What {@link #choose} decided: the split, or why there is none ({@code tooShort}), and in words
   * what was chosen.
   */
  public record Choice(TimeSplit split, String tooShort, String description) {
    public boolean trainable() {
      return split != null;
    }
  }

  /**
   * The dates of {@link #latest}, shrunk to the data's span: a snapshot needs at least
   * {@code minHistoryMonths} of order history before it (otherwise every customer looks new), so
   * training dates before {@code firstOrder + minHistoryMonths} are left out. When not even one
   * training date remains, the history is too short to train at all.
   *
   * @param section the model's configuration section, named in the message (churn)
   */
  public static Choice choose(LocalDate firstOrder, LocalDate asOf, LabelWindow definition, int snapshots,
      int stepMonths, int minHistoryMonths, String section) {
    return choose(firstOrder, asOf, definition, snapshots, stepMonths, minHistoryMonths, section, "order",
        section + ".horizon_months");
  }

  /**
   * As above for a model whose history starts with another event ({@code event}: "invoice") and
   * whose horizon has another key ({@code horizonKey}), both named in the messages.
   */
  public static Choice choose(LocalDate firstOrder, LocalDate asOf, LabelWindow definition, int snapshots,
      int stepMonths, int minHistoryMonths, String section, String event, String horizonKey) {
    TimeSplit full = latest(asOf, definition, snapshots, stepMonths);
    LocalDate earliest = LabelWindow.plusMonths(firstOrder, minHistoryMonths);
    List<LocalDate> kept = full.trainDates.stream().filter(d -> !d.isBefore(earliest)).toList();
    long have = ChronoUnit.MONTHS.between(firstOrder, asOf);
    if (kept.isEmpty()) {
      int h = definition.horizonMonths();
      String reason = String.format(Locale.ROOT, "the %s history from %s to as_of %s (%d months) is too short "
          + "to train a %s model: it needs %d months of history before the first training snapshot "
          + "(%s.training.min_history_months), then three label windows of %d months (%s): "
          + "training, validation and test, %d months in all", event, firstOrder, asOf, have, section,
          minHistoryMonths, section, h, horizonKey, minHistoryMonths + 3 * h);
      return new Choice(null, reason, reason);
    }
    TimeSplit split = new TimeSplit(kept, full.validationDate, full.testDate);
    String left = kept.size() == snapshots ? ""
        : String.format(Locale.ROOT, " (%d of %d asked for: earlier ones fall before %s, %d months after the "
            + "first %s %s)", kept.size(), snapshots, earliest, minHistoryMonths, event, firstOrder);
    String description = String.format(Locale.ROOT, "training snapshots %s%s, validation %s, test %s",
        String.join(", ", kept.stream().map(LocalDate::toString).toList()), left, split.validationDate,
        split.testDate);
    return new Choice(split, null, description);
  }

  /** Throws when a label window reaches past what it may see; the guard against a leaking split. */
  public void check(LabelWindow definition, LocalDate asOf) {
    if (!definition.labelComplete(testDate, asOf)) {
      throw new IllegalArgumentException("the test snapshot " + testDate + " has its label window until "
          + definition.labelEnd(testDate) + ", after the data's as_of " + asOf);
    }
    if (definition.labelEnd(validationDate).isAfter(testDate)) {
      throw new IllegalArgumentException("the validation snapshot " + validationDate + " has its label window until "
          + definition.labelEnd(validationDate) + ", after the test snapshot " + testDate
          + ": the choice of model would see the test period");
    }
    for (LocalDate d : trainDates) {
      if (definition.labelEnd(d).isAfter(validationDate)) {
        throw new IllegalArgumentException("the training snapshot " + d + " has its label window until "
            + definition.labelEnd(d) + ", after the validation snapshot " + validationDate
            + ": the model would learn from the validation and test periods");
      }
    }
  }

  /** Training, validation and test dates, oldest first. */
  public List<LocalDate> all() {
    List<LocalDate> all = new ArrayList<>(trainDates);
    all.add(validationDate);
    all.add(testDate);
    return all;
  }
}

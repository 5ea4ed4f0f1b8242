package org.crmanalytics.models.churn;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The snapshot dates of one training run: the test date is the newest whose label window is
 * complete at the data's as_of; training dates lie so far before it that their label windows end
 * on or before the test date. A model trained on them has seen nothing of the test period, as a
 * model put into production at the test date would not have.
 */
public record TimeSplit(List<LocalDate> trainDates, LocalDate testDate) {
  public TimeSplit {
    if (trainDates.isEmpty()) {
      throw new IllegalArgumentException("at least one training snapshot");
    }
    trainDates = List.copyOf(trainDates);
  }

  /**
   * @param asOf the date the data is known until
   * @param snapshots how many training snapshots
   * @param stepMonths months between training snapshots
   */
  public static TimeSplit latest(LocalDate asOf, ChurnDefinition definition, int snapshots, int stepMonths) {
    if (snapshots < 1 || stepMonths < 1) {
      throw new IllegalArgumentException("snapshots and step months must be at least 1");
    }
    LocalDate test = ChurnDefinition.plusMonths(asOf, -definition.horizonMonths());
    LocalDate newestTrain = ChurnDefinition.plusMonths(test, -definition.horizonMonths());
    List<LocalDate> train = new ArrayList<>();
    for (int k = snapshots - 1; k >= 0; k--) {
      train.add(ChurnDefinition.plusMonths(newestTrain, -(long) k * stepMonths));
    }
    TimeSplit split = new TimeSplit(train, test);
    split.check(definition, asOf);
    return split;
  }

  /** Throws when a label window reaches past what it may see; the guard against a leaking split. */
  public void check(ChurnDefinition definition, LocalDate asOf) {
    if (!definition.labelComplete(testDate, asOf)) {
      throw new IllegalArgumentException("the test snapshot " + testDate + " has its label window until "
          + definition.labelEnd(testDate) + ", after the data's as_of " + asOf);
    }
    for (LocalDate d : trainDates) {
      if (definition.labelEnd(d).isAfter(testDate)) {
        throw new IllegalArgumentException("the training snapshot " + d + " has its label window until "
            + definition.labelEnd(d) + ", after the test snapshot " + testDate
            + ": the model would learn from the test period");
      }
    }
  }

  public List<LocalDate> all() {
    List<LocalDate> all = new ArrayList<>(trainDates);
    all.add(testDate);
    return all;
  }
}

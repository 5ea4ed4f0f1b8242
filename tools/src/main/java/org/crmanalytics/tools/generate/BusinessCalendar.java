package org.crmanalytics.tools.generate;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Set;

/**
 * The simulated history's days, numbered 0 (first day) to {@code days() - 1} (the end date), and
 * how busy each one is. Orders follow a B2B rhythm: weekdays only, nationwide public holidays
 * off, a weak August (Betriebsferien) and a dead time between Christmas and New Year, strong
 * March (end of Q1) and Q4 (budgets are spent before year end).
 */
final class BusinessCalendar implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Relative order activity per month, January first; mean about 1. */
  private static final double[] MONTH_FACTOR = {
    0.90, 0.97, 1.20, 1.00, 1.00, 0.98, 0.95, 0.62, 1.05, 1.12, 1.22, 1.05
  };

  private static final Set<MonthDay> FIXED_HOLIDAYS =
      Set.of(MonthDay.of(1, 1), MonthDay.of(5, 1), MonthDay.of(10, 3), MonthDay.of(12, 24),
          MonthDay.of(12, 25), MonthDay.of(12, 26), MonthDay.of(12, 31));

  private final long firstEpochDay;
  private final int days;
  /** Relative order intensity of each day, normalised to mean 1 over the history. */
  private final double[] orderWeight;
  /** 1 on working days, 0 on weekends and holidays (normalised to mean 1 over the history). */
  private final double[] workdayWeight;
  private final double maxOrderWeight;
  private final double maxWorkdayWeight;
  private final int[] yearOfDay;

  BusinessCalendar(LocalDate firstDay, LocalDate lastDay) {
    this.firstEpochDay = firstDay.toEpochDay();
    this.days = (int) (lastDay.toEpochDay() - firstEpochDay + 1);
    this.orderWeight = new double[days];
    this.workdayWeight = new double[days];
    this.yearOfDay = new int[days];
    double orderSum = 0;
    double workSum = 0;
    for (int d = 0; d < days; d++) {
      LocalDate date = firstDay.plusDays(d);
      yearOfDay[d] = date.getYear();
      boolean working = isWorkingDay(date);
      double w = working ? MONTH_FACTOR[date.getMonthValue() - 1] : 0.0;
      if (date.getMonthValue() == 12 && date.getDayOfMonth() >= 20) {
        w *= 0.35;
      } else if (date.getMonthValue() == 1 && date.getDayOfMonth() <= 6) {
        w *= 0.5;
      }
      orderWeight[d] = w;
      workdayWeight[d] = working ? 1.0 : 0.0;
      orderSum += w;
      workSum += workdayWeight[d];
    }
    double orderMax = 0;
    double workMax = 0;
    for (int d = 0; d < days; d++) {
      orderWeight[d] *= days / orderSum;
      workdayWeight[d] *= days / Math.max(1.0, workSum);
      orderMax = Math.max(orderMax, orderWeight[d]);
      workMax = Math.max(workMax, workdayWeight[d]);
    }
    this.maxOrderWeight = orderMax;
    this.maxWorkdayWeight = workMax;
  }

  static boolean isWorkingDay(LocalDate date) {
    DayOfWeek dow = date.getDayOfWeek();
    if (dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY) {
      return false;
    }
    if (FIXED_HOLIDAYS.contains(MonthDay.from(date))) {
      return false;
    }
    LocalDate easter = easterSunday(date.getYear());
    long offset = date.toEpochDay() - easter.toEpochDay();
    // Karfreitag, Ostermontag, Christi Himmelfahrt, Pfingstmontag.
    return offset != -2 && offset != 1 && offset != 39 && offset != 50;
  }

  /** Gregorian Easter Sunday (the anonymous "Meeus/Jones/Butcher" algorithm). */
  static LocalDate easterSunday(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = ((h + l - 7 * m + 114) % 31) + 1;
    return LocalDate.of(year, month, day);
  }

  int days() {
    return days;
  }

  long firstEpochDay() {
    return firstEpochDay;
  }

  LocalDate date(int day) {
    return LocalDate.ofEpochDay(firstEpochDay + day);
  }

  int year(int day) {
    return day >= 0 && day < days ? yearOfDay[day] : date(day).getYear();
  }

  /** The day number of a date (negative before the history). */
  int day(LocalDate date) {
    return (int) (date.toEpochDay() - firstEpochDay);
  }

  double orderWeight(int day) {
    return orderWeight[day];
  }

  double maxOrderWeight() {
    return maxOrderWeight;
  }

  double workdayWeight(int day) {
    return workdayWeight[day];
  }

  double maxWorkdayWeight() {
    return maxWorkdayWeight;
  }

  boolean isWorkingDay(int day) {
    return workdayWeight[day] > 0;
  }

  /** The same day, or the next working day (payments are booked on bank days). */
  int nextWorkingDay(int day) {
    int d = day;
    while (d >= 0 && d < days && !isWorkingDay(d)) {
      d++;
    }
    return d;
  }
}

package org.crmanalytics.tools.generate;

/** Zero-padded numbers for ids, without String.format (ids are made by the hundred million). */
final class Ids {
  private Ids() {}

  static String zeroPadded(long value, int width) {
    String digits = Long.toString(value);
    if (digits.length() >= width) {
      return digits;
    }
    StringBuilder out = new StringBuilder(width);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits).toString();
  }
}

package org.crmanalytics.jobs.io;

/** Escaping for values from data that go into an HTML page. */
public final class Html {
  private Html() {}

  /** Text or a quoted attribute value: {@code <script>} from a customer name stays text. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Script text that cannot end its {@code <script>} element early: "</" and "<!--" only occur
   * inside string literals of generated chart code, where "<\/" and "<\!--" mean the same.
   */
  public static String scriptBody(String js) {
    return js.replace("</", "<\\/").replace("<!--", "<\\!--");
  }
}

package org.crmanalytics.jobs.io;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.html.HtmlTemplateOutput;

/**
 * The HTML reports' templates (jte, {@code src/main/jte}, compiled to classes at build time) and
 * the escaping of values from data that go into a page.
 */
public final class Html {
  /** The package the jte Maven plugin generates the template classes into (jobs/pom.xml). */
  private static final String TEMPLATE_PACKAGE = "org.crmanalytics.jobs.templates";
  private static final TemplateEngine ENGINE =
      TemplateEngine.createPrecompiled(null, ContentType.Html, Html.class.getClassLoader(), TEMPLATE_PACKAGE);

  private Html() {}

  /** {@code template} (a path under src/main/jte) rendered with its one parameter. */
  public static String render(String template, Object param) {
    Output out = new Output();
    ENGINE.render(template, param, out);
    return out.toString();
  }

  /** Text or a quoted attribute value: {@code <script>} from a customer name stays text. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    escapeTo(s, out);
    return out.toString();
  }

  private static void escapeTo(String s, StringBuilder out) {
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
  }

  /**
   * Script text that cannot end its {@code <script>} element early: "</" and "<!--" only occur
   * inside string literals of generated chart code, where "<\/" and "<\!--" mean the same.
   */
  public static String scriptBody(String js) {
    return js.replace("</", "<\\/").replace("<!--", "<\\!--");
  }

  /**
   * Where jte writes a page: every {@code ${...}} goes through {@link #escape}, in element text and
   * in attribute values alike (our templates put data nowhere else; scripts and styles are
   * {@code $unsafe}, built by our code). Hand-written rather than jte's own output, which leaves
   * quotes in text unescaped, so the pages stay as they were.
   */
  private static final class Output implements HtmlTemplateOutput {
    private final StringBuilder out = new StringBuilder(1 << 16);

    @Override
    public void setContext(String tagName, String attributeName) {
      // one escaping for every context the templates use
    }

    @Override
    public void writeContent(String value) {
      out.append(value);
    }

    @Override
    public void writeContent(String value, int beginIndex, int endIndex) {
      out.append(value, beginIndex, endIndex);
    }

    @Override
    public void writeUserContent(String value) {
      if (value != null) {
        escapeTo(value, out);
      }
    }

    @Override
    public String toString() {
      return out.toString();
    }
  }
}

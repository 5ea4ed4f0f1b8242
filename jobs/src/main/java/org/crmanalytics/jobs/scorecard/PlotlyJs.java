package org.crmanalytics.jobs.scorecard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * plotly.js, the minified partial bundle with the cartesian charts, read from the classpath once
 * ({@code plotly/plotly.min.js}, put there by the build: jobs/pom.xml): the scorecard inlines it, so
 * a page draws its charts offline and without a CDN, at 1.4 MB instead of the full library's 10.5 MB.
 * Only 2.x is accepted: with plotly 3 and later the chart titles Tablesaw writes (a plain string) vanish.
 */
public final class PlotlyJs {
  static final String RESOURCE = "plotly/plotly.min.js";
  /** The banner: "plotly.js v2.35.3", or with the bundle's name, "plotly.js (cartesian - minified) v2.35.3". */
  private static final Pattern BANNER = Pattern.compile("plotly\\.js(?: \\([^)]*\\))? v(\\d+)\\.(\\d+)\\.(\\d+)");

  private static volatile String source;

  private PlotlyJs() {}

  /** The library's source, checked to be plotly.js 2.x and safe to put inside a script element. */
  public static String source() {
    String s = source;
    if (s == null) {
      synchronized (PlotlyJs.class) {
        if (source == null) {
          source = load();
        }
        s = source;
      }
    }
    return s;
  }

  public static String version() {
    Matcher m = BANNER.matcher(source().substring(0, Math.min(400, source().length())));
    if (!m.find()) {
      throw new IllegalStateException("plotly.js has no version banner");
    }
    return m.group(1) + "." + m.group(2) + "." + m.group(3);
  }

  private static String load() {
    String js;
    try (InputStream in = PlotlyJs.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("plotly.js is not on the classpath (" + RESOURCE + "): the jobs build puts it "
            + "there (jobs/pom.xml, execution plotly-bundle); build with ./mvnw package");
      }
      js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    Matcher m = BANNER.matcher(js.substring(0, Math.min(400, js.length())));
    if (!m.find() || !m.group(1).equals("2")) {
      throw new IllegalStateException("the scorecard needs plotly.js 2.x, found " + (m.find(0) ? m.group() : "no version")
          + " at " + RESOURCE + ": with plotly 3 and later Tablesaw's chart titles disappear");
    }
    if (js.toLowerCase(Locale.ROOT).contains("</script")) {
      throw new IllegalStateException(RESOURCE + " contains '</script' and cannot be inlined");
    }
    return js;
  }
}

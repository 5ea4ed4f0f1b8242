package org.crmanalytics.jobs.scorecard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * plotly.js as shipped in the {@code org.webjars.npm:plotly.js-dist} jar, read from the classpath
 * once: the scorecard inlines it, so a page draws its charts offline and without a CDN. Only 2.x
 * is accepted: with plotly 3 and later the chart titles Tablesaw writes (a plain string) vanish.
 */
public final class PlotlyJs {
  private static final String WEBJAR = "META-INF/maven/org.webjars.npm/plotly.js-dist/pom.properties";
  private static final Pattern BANNER = Pattern.compile("plotly\\.js v(\\d+)\\.(\\d+)\\.(\\d+)");

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
    ClassLoader cl = PlotlyJs.class.getClassLoader();
    String version;
    try (InputStream in = cl.getResourceAsStream(WEBJAR)) {
      if (in == null) {
        throw new IllegalStateException("plotly.js is not on the classpath (" + WEBJAR + "): the jobs jar must "
            + "include org.webjars.npm:plotly.js-dist 2.x");
      }
      Properties p = new Properties();
      p.load(in);
      version = p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + WEBJAR, e);
    }
    String path = "META-INF/resources/webjars/plotly.js-dist/" + version + "/plotly.js";
    String js;
    try (InputStream in = cl.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("plotly.js " + version + " is not at " + path + " on the classpath");
      }
      js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    Matcher m = BANNER.matcher(js.substring(0, Math.min(400, js.length())));
    if (!m.find() || !m.group(1).equals("2")) {
      throw new IllegalStateException("the scorecard needs plotly.js 2.x, found " + (m.find(0) ? m.group() : "no version")
          + " at " + path + ": with plotly 3 and later Tablesaw's chart titles disappear");
    }
    if (js.toLowerCase(Locale.ROOT).contains("</script")) {
      throw new IllegalStateException(path + " contains '</script' and cannot be inlined");
    }
    return js;
  }
}

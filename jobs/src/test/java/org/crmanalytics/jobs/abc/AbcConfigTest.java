package org.crmanalytics.jobs.abc;

import org.crmanalytics.jobs.cli.Pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmanalytics.jobs.config.ConfigError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.models.abc.AbcSettings;
import org.crmanalytics.models.abc.AbcSettings.Measure;
import org.crmanalytics.models.abc.AbcSettings.Method;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The abc: section: defaults, accepted values, and errors that name the key as typed. No Spark. */
@Tag("unit")
class AbcConfigTest {
  private static final Path DOC = Path.of("..", "docs", "abc.md");
  private static final String TABLES = """
      as_of: 2024-12-31
      tables:
        customers: {path: c.csv}
        sales: {path: s.csv}
      """;

  @TempDir Path dir;

  private PipelineConfig load(String abcSection) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, TABLES + abcSection);
    return Pipeline.configLoader(Map.of()).load(file);
  }

  private AbcSettings settings(String abcSection) throws IOException {
    PipelineConfig config = load(abcSection);
    return config.settings(AbcSettings.class);
  }

  @Test
  void withoutASectionTheDefaultsApply() throws IOException {
    AbcSettings s = settings("");
    assertEquals(AbcSettings.defaults(s.asOf()), s);
    assertEquals(List.of(50.0, 80.0, 95.0, 99.0), s.valueCutoffs());
    assertEquals(List.of("A", "B", "C", "D", "E"), s.classes());
    assertEquals(Method.PARETO, s.method());
    assertEquals(Measure.REVENUE, s.measure());
  }

  @Test
  void everyKeyIsRead() throws IOException {
    AbcSettings s = settings("""
        abc:
          method: score
          measure: margin
          window_months: 24
          score_cutoffs: [20, 50]
          weights: {value: 1, growth: 0, potential: 0, loyalty: 0.5, payment: 2}
          xyz: {x_max_cv: 0.3, y_max_cv: 0.8}
          segment_by: Region
        """);
    assertEquals(Method.SCORE, s.method());
    assertEquals(Measure.MARGIN, s.measure());
    assertEquals(24, s.windowMonths());
    assertEquals(List.of(20.0, 50.0), s.scoreCutoffs());
    assertEquals(List.of("A", "B", "C"), s.classes());
    assertEquals(new AbcSettings.Weights(1, 0, 0, 0.5, 2), s.weights());
    assertEquals(0.3, s.xMaxCv());
    assertEquals(0.8, s.yMaxCv());
    assertEquals(Optional.of("region"), s.segmentBy());
  }

  @Test
  void theClassicThreeClassesAreTwoCutoffs() throws IOException {
    AbcSettings s = settings("abc: {cutoffs: [80, 95], segment_by: none}\n");
    assertEquals(AbcSettings.THREE_CLASS_VALUE_CUTOFFS, s.valueCutoffs());
    assertEquals(List.of("A", "B", "C"), s.classes());
    assertEquals(Optional.empty(), s.segmentBy());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "abc: {cutoffs: [50, 40]}                         | abc.cutoffs: must increase, found 50.0 then 40.0",
      "abc: {cutoffs: [50, 80, 90, 95, 99]}             | abc.cutoffs: must have 1 to 4 values (2 to 5 classes), found 5",
      "abc: {cutoffs: [0, 50]}                          | abc.cutoffs: must be percentages above 0 and below 100, found 0.0",
      "abc: {cutoffs: [50, 100]}                        | abc.cutoffs: must be percentages above 0 and below 100, found 100.0",
      "abc: {cutoffs: [half, 80]}                       | abc.cutoffs: expected percentages such as [50, 80, 95, 99], found 'half'",
      "abc: {method: abcd}                              | abc.method: must be one of pareto, score; found 'abcd'",
      "abc: {measure: profit}                           | abc.measure: must be one of revenue, margin; found 'profit'",
      "abc: {window_months: 0}                          | abc.window_months: must be 1 to 120 months, found 0",
      "abc: {window_months: twelve}                     | abc.window_months: expected a whole number, found 'twelve'",
      "abc: {weights: {value: -1}}                      | abc.weights.value: must be a number of at least 0, found -1.0",
      "abc: {weights: {value: 0, growth: 0, potential: 0, loyalty: 0, payment: 0}} | abc.weights: at least one weight must be above 0",
      "abc: {weights: {valeu: 1}}                       | abc.weights.valeu: unknown key (did you mean 'value'?)",
      "abc: {xyz: {x_max_cv: 1.0, y_max_cv: 0.5}}       | abc.xyz.y_max_cv: must be above x_max_cv (1.0), found 0.5",
      "abc: {xyz: {x_max_cv: -0.1}}                     | abc.xyz.x_max_cv: must be a number of at least 0, found -0.1",
      "abc: {segment_by: postcode}                      | abc.segment_by: must be none or a customers column: industry, region, segment, country, channel; found 'postcode'",
      "abc: {score_cutoffs: [10, 30]}                   | abc.score_cutoffs: is used by method score only",
      "abc: {method: score, cutoffs: [50, 80]}          | abc.cutoffs: is used by method pareto only",
      "abc: {cutof: [50, 80]}                           | abc.cutof: unknown key (did you mean 'cutoffs'?)",
      "abc: [50, 80]                                    | abc: expected a section with keys"})
  void errorsNameTheKey(String yaml, String expected) throws IOException {
    ConfigError e = assertThrows(ConfigError.class, () -> load(yaml + "\n"));
    assertTrue(e.getMessage().contains(": " + expected), "expected '" + expected + "' in: " + e.getMessage());
  }

  /** docs/abc.md documents every key in its Configuration section, and no key that does not exist. */
  @Test
  void everyKeyIsDocumented() throws IOException {
    String doc = Files.readString(DOC);
    int start = doc.indexOf("\n## Configuration");
    assertTrue(start >= 0, "docs/abc.md has no '## Configuration' section");
    int end = doc.indexOf("\n## ", start + 1);
    String section = end < 0 ? doc.substring(start) : doc.substring(start, end);
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("^\\| `(abc\\.[a-z_.]+)`", Pattern.MULTILINE).matcher(section);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> expected = new TreeSet<>();
    AbcConfig.KEYS.forEach(k -> expected.add("abc." + k));
    AbcConfig.WEIGHT_KEYS.forEach(k -> expected.add("abc.weights." + k));
    AbcConfig.XYZ_KEYS.forEach(k -> expected.add("abc.xyz." + k));
    assertEquals(expected, documented, "keys in the table of docs/abc.md#configuration");
  }
}

package org.crmanalytics.models.scores;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CustomerScoresTest {
  @Test
  void bandsReadFromTheMostUrgentDownAndTheUnscoredLast() {
    List<String> sorted = Stream.of("low", null, "medium", "in_default", "high")
        .sorted(Comparator.comparingInt(CustomerScores::urgency)).toList();
    assertEquals(java.util.Arrays.asList("in_default", "high", "medium", "low", null), sorted);
  }
}

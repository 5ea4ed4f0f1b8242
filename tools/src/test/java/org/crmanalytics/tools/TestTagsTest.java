package org.crmanalytics.tools;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every test class of tools carries known tags: the same check and tags as jobs (docs/testing.md). */
@Tag("unit")
class TestTagsTest {
  @Test
  void everyTestClassCarriesKnownTags() throws Exception {
    org.crmanalytics.jobs.TestTagsTest.assertTagged(TestTagsTest.class, 7);
  }
}

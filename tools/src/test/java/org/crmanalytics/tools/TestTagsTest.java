package org.crmanalytics.tools;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every test class of tools carries known tags: the same check and tags as models and jobs (docs/testing.md). */
@Tag("unit")
class TestTagsTest {
  @Test
  void everyTestClassCarriesKnownTags() throws Exception {
    org.crmanalytics.models.TestTagsTest.assertTagged(TestTagsTest.class, 7);
  }
}

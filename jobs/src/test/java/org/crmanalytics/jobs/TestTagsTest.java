package org.crmanalytics.jobs;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every test class of this module carries known tags (the check: models' TestTagsTest). */
@Tag("unit")
class TestTagsTest {
  @Test
  void everyTestClassCarriesKnownTags() throws Exception {
    org.crmanalytics.models.TestTagsTest.assertTagged(TestTagsTest.class, 40);
  }
}

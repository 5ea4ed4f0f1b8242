package org.crmanalytics.jobs.io;

import java.time.LocalDate;

/**
 * Where every output lives under the output root; all folders are partitioned by as_of.
 * Writes go to {@code _staging/<run_id>/...} first and are committed by renaming.
 */
public record OutputLayout(String root, LocalDate asOf, String runId) {
  public String silver(String table) {
    return Output.SILVER.path(this, table);
  }

  public String quarantine(String table) {
    return Output.QUARANTINE.path(this, table);
  }

  public String staging() {
    return root + "/_staging/" + runId;
  }

  /** The staging twin of a final path. */
  public String staged(String finalPath) {
    if (!finalPath.startsWith(root + "/")) {
      throw new IllegalArgumentException(finalPath + " is not under " + root);
    }
    return staging() + "/" + finalPath.substring(root.length() + 1);
  }

  public String manifest() {
    return root + "/" + Output.RUNS + "/" + runId + ".json";
  }

  public String qualityReport() {
    return root + "/reports/data-quality-" + runId + ".html";
  }
}

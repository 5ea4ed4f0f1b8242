package org.crmanalytics.jobs.io;

import java.time.LocalDate;

/**
 * Where every output lives under the output root; all folders are partitioned by as_of.
 * Writes go to {@code _staging/<run_id>/...} first and are committed by renaming.
 */
public record OutputLayout(String root, LocalDate asOf, String runId) {
  public String silver(String table) {
    return root + "/silver/" + table + "/as_of=" + asOf;
  }

  public String quarantine(String table) {
    return root + "/quarantine/" + table + "/as_of=" + asOf;
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
    return root + "/runs/" + runId + ".json";
  }

  public String qualityReport() {
    return root + "/reports/data-quality-" + runId + ".html";
  }
}

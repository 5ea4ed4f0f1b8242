package org.crmanalytics.jobs.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.jobs.io.Output;

/**
 * The one publish step of every stage: each output is written to the run's staging area and read
 * back from there; {@link #commit()} then moves them all into place, in the order staged, and
 * records each (datasets with their row count) in the manifest. Nothing is visible under the
 * output root before the commit, so a stage that fails half-way leaves the previous outputs as
 * they were.
 */
public final class Publication {
  private final RunContext ctx;
  private final List<String> paths = new ArrayList<>();
  private final Map<String, Dataset<Row>> datasets = new LinkedHashMap<>();
  private final Map<String, Long> rows = new LinkedHashMap<>();

  Publication(RunContext ctx) {
    this.ctx = ctx;
  }

  /** Writes {@code data} to the staging twin of {@code output} and returns the rows as written. */
  public Dataset<Row> stage(Output output, Dataset<Row> data) {
    String path = ctx.path(output);
    String staged = ctx.layout().staged(path);
    ctx.output().stage(data, staged);
    Dataset<Row> written = ctx.spark().read().parquet(staged);
    paths.add(path);
    datasets.put(path, written);
    return written;
  }

  /**
   * Stages what is not a dataset of the catalogue (a model store): {@code writer} writes it to the
   * staging folder it is given, for {@code path} under the output root.
   */
  public void stage(String path, Consumer<String> writer) {
    String full = ctx.layout().root() + "/" + path;
    writer.accept(ctx.layout().staged(full));
    paths.add(full);
  }

  /** The rows staged for {@code output} (from the Parquet footers, counted once). */
  public long rows(Output output) {
    String path = ctx.path(output);
    Dataset<Row> written = datasets.get(path);
    if (written == null) {
      throw new IllegalStateException(output + " is not staged");
    }
    return rows.computeIfAbsent(path, p -> written.count());
  }

  /** Moves everything staged into place, in the order staged, and records each. */
  public void commit() {
    for (String path : paths) {
      Long count = datasets.containsKey(path) ? rows.computeIfAbsent(path, p -> datasets.get(p).count()) : null;
      ctx.output().commit(ctx.layout().staged(path), path);
      if (count == null) {
        ctx.committed(path);
      } else {
        ctx.committed(path, count);
      }
    }
    paths.clear();
  }
}

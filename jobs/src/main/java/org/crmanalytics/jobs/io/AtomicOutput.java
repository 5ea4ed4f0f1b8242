package org.crmanalytics.jobs.io;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.StructType;

/**
 * Writes outputs so that a reader only ever sees a complete one: data is written to a staging
 * folder, then the old output is moved aside and the staged one renamed into place. A run that
 * dies before the commit leaves the previous output untouched; one that dies between the two
 * renames leaves no output (never a half-written one), and the next commit of that output removes
 * what was moved aside.
 */
public final class AtomicOutput {
  private static final FsPermission OWNER_DIR = new FsPermission((short) 0700);
  private static final FsPermission OWNER_FILE = new FsPermission((short) 0600);

  private final Configuration hadoop;

  public AtomicOutput(Configuration hadoop) {
    this.hadoop = hadoop;
  }

  /** Writes {@code rows} as Parquet to {@code stagedPath} (not yet visible). */
  public void stage(Dataset<Row> rows, String stagedPath) {
    rows.write().mode(SaveMode.Overwrite).parquet(stagedPath);
  }

  /**
   * Writes each part to its own folder under {@code stagedPath} and reads them back as one Dataset,
   * each part's columns cast to the first's. Written as one query, the union would be planned as
   * one: adaptive execution re-plans all of it after each of its stages, which for the unions of
   * labelled snapshots and of KPI families cost more than running them (docs/benchmarks.md).
   */
  public Dataset<Row> stageParts(List<Dataset<Row>> parts, String stagedPath) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no parts to stage at " + stagedPath);
    }
    StructType schema = parts.get(0).schema();
    Column[] columns = Arrays.stream(schema.fields()).map(f -> col(f.name()).cast(f.dataType())).toArray(Column[]::new);
    String[] paths = new String[parts.size()];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = stagedPath + "/part-" + i;
      stage(parts.get(i).select(columns), paths[i]);
    }
    return parts.get(0).sparkSession().read().parquet(paths);
  }

  /** Restricts a staged output to its owner: quarantine holds raw customer data. */
  public void restrictToOwner(String stagedPath) {
    try {
      Path p = new Path(stagedPath);
      FileSystem fs = p.getFileSystem(hadoop);
      restrict(fs, p);
      for (Path parent = p.getParent(); parent != null && parent.getName().startsWith("as_of="); parent = parent.getParent()) {
        fs.setPermission(parent, OWNER_DIR);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict permissions of " + stagedPath, e);
    }
  }

  private void restrict(FileSystem fs, Path p) throws IOException {
    FileStatus status = fs.getFileStatus(p);
    if (status.isDirectory()) {
      fs.setPermission(p, OWNER_DIR);
      for (FileStatus child : fs.listStatus(p)) {
        restrict(fs, child.getPath());
      }
    } else {
      fs.setPermission(p, OWNER_FILE);
    }
  }

  /** Moves a staged output into its final place, replacing what was there. */
  public void commit(String stagedPath, String finalPath) {
    try {
      Path staged = new Path(stagedPath);
      Path target = new Path(finalPath);
      FileSystem fs = target.getFileSystem(hadoop);
      if (!fs.exists(staged)) {
        throw new IllegalStateException("nothing staged at " + stagedPath);
      }
      fs.mkdirs(target.getParent());
      removeLeftovers(fs, target);
      Path aside = new Path(target.getParent(), "." + target.getName() + ".replaced-" + System.nanoTime());
      boolean hadPrevious = fs.exists(target);
      if (hadPrevious && !fs.rename(target, aside)) {
        throw new IOException("cannot move the previous output " + target + " aside");
      }
      if (!fs.rename(staged, target)) {
        if (hadPrevious) {
          fs.rename(aside, target); // put the previous output back
        }
        throw new IOException("cannot move " + staged + " to " + target);
      }
      if (hadPrevious) {
        fs.delete(aside, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("commit of " + finalPath + " failed", e);
    }
  }

  /** Outputs moved aside by an earlier commit that died before it could delete them. */
  private static void removeLeftovers(FileSystem fs, Path target) throws IOException {
    FileStatus[] leftovers = fs.globStatus(new Path(target.getParent(), "." + target.getName() + ".replaced-*"));
    for (FileStatus f : leftovers == null ? new FileStatus[0] : leftovers) {
      fs.delete(f.getPath(), true);
    }
  }

  /** Writes a small text file (manifest, report) atomically: temporary file, then rename. */
  public void writeText(String finalPath, String text) {
    try {
      Path target = new Path(finalPath);
      FileSystem fs = target.getFileSystem(hadoop);
      fs.mkdirs(target.getParent());
      Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + finalPath, e);
    }
  }

  /**
   * A small text file (a manifest, model metadata), or empty when there is none. Read past the local file system's
   * .crc checksum: a manifest copied or edited without its hidden .crc file is still readable.
   */
  public java.util.Optional<String> readText(String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(hadoop);
      if (fs instanceof org.apache.hadoop.fs.ChecksumFileSystem checksummed) {
        fs = checksummed.getRawFileSystem();
      }
      if (!fs.exists(p)) {
        return java.util.Optional.empty();
      }
      try (java.io.InputStream in = fs.open(p)) {
        return java.util.Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** Removes a folder if nothing is left in it (the shared staging root after a run). */
  public void deleteIfEmpty(String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(hadoop);
      if (fs.exists(p) && fs.listStatus(p).length == 0) {
        fs.delete(p, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }

  /** The names of the folders directly under {@code path}; none when it does not exist. */
  public List<String> folders(String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(hadoop);
      if (!fs.exists(p)) {
        return List.of();
      }
      return Arrays.stream(fs.listStatus(p)).filter(FileStatus::isDirectory)
          .map(s -> s.getPath().getName()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path, e);
    }
  }

  public boolean exists(String path) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(hadoop).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path, e);
    }
  }

  public void delete(String path) {
    try {
      Path p = new Path(path);
      p.getFileSystem(hadoop).delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}

package org.crmanalytics.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks of local paths before Spark starts, so that a wrong path is one line at once rather than a
 * failure minutes into a run. Paths on other file systems (hdfs://, s3a://) are left to the run:
 * checking them needs their credentials and connectors.
 */
public final class LocalPaths {
  private LocalPaths() {}

  /** The local file-system path of {@code path} ({@code /x} or {@code file:/x}); empty for other schemes. */
  public static Optional<java.nio.file.Path> local(String path) {
    java.net.URI uri = new Path(path).toUri();
    return uri.getScheme() == null || uri.getScheme().equals("file")
        ? Optional.of(java.nio.file.Path.of(uri.getPath()))
        : Optional.empty();
  }

  /** Whether a local path or glob ({@code sales/*.csv}) matches anything; true for other schemes. */
  public static boolean existsOrRemote(String path) {
    if (local(path).isEmpty()) {
      return true;
    }
    try {
      FileStatus[] found = FileSystem.getLocal(new Configuration()).globStatus(new Path(path));
      return found != null && found.length > 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look at " + path, e);
    }
  }

  /**
   * Why the output root cannot be written, when it is local and cannot: it is a file, or the
   * folder (or the nearest existing folder above it, where it is created) is not writable.
   */
  public static Optional<String> unwritable(String root) {
    Optional<java.nio.file.Path> local = local(root);
    if (local.isEmpty()) {
      return Optional.empty();
    }
    java.nio.file.Path p = local.get().toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null) {
      return Optional.empty();
    }
    if (!Files.isDirectory(p)) {
      return Optional.of(p + " is a file, not a folder");
    }
    String where = p.equals(local.get().toAbsolutePath()) ? "" : "the folder cannot be created: ";
    if (!Files.isWritable(p)) {
      return Optional.of(where + "the folder " + p + " is not writable for this user");
    }
    // The permission bits do not tell everything (root, read-only mounts, /proc): write and remove a file.
    try {
      Files.delete(Files.createTempFile(p, ".crm-analytics-probe-", ""));
    } catch (IOException e) {
      String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
          : e.getClass().getSimpleName();
      return Optional.of(where + "writing a file in " + p + " failed (" + why + ")");
    }
    return Optional.empty();
  }
}

package org.crmanalytics.tools.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Gives a table folder written by Spark deterministic file names: Spark's part files
 * ({@code part-00003-<random uuid>-c000.csv}) become {@code <table>-00003.csv} in partition
 * order, and Spark's {@code _SUCCESS} marker and Hadoop's {@code .crc} checksums are removed, so
 * that two runs with the same arguments produce byte-identical folders.
 */
final class OutputFiles {
  private OutputFiles() {}

  /** Renames the part files of {@code folder}; returns how many data files it holds. */
  static int finish(Configuration hadoop, String folder, String table, String extension) {
    try {
      Path dir = new Path(folder);
      FileSystem fs = dir.getFileSystem(hadoop);
      if (fs instanceof ChecksumFileSystem checksummed) {
        // The checksummed view hides the .crc files; the raw one lets us see and delete them.
        fs = checksummed.getRawFileSystem();
      }
      List<FileStatus> parts = new ArrayList<>();
      for (FileStatus status : fs.listStatus(dir)) {
        String name = status.getPath().getName();
        if (name.startsWith("part-")) {
          parts.add(status);
        } else if (name.equals("_SUCCESS") || name.endsWith(".crc")) {
          fs.delete(status.getPath(), false);
        }
      }
      // Part files are numbered by partition; the uuid after the number is the same for all.
      parts.sort(Comparator.comparing(s -> s.getPath().getName()));
      for (int i = 0; i < parts.size(); i++) {
        Path target = new Path(dir, String.format(Locale.ROOT, "%s-%05d.%s", table, i, extension));
        if (!fs.rename(parts.get(i).getPath(), target)) {
          throw new IOException("could not rename " + parts.get(i).getPath() + " to " + target);
        }
      }
      return parts.size();
    } catch (IOException e) {
      throw new UncheckedIOException("finishing output folder " + folder, e);
    }
  }
}

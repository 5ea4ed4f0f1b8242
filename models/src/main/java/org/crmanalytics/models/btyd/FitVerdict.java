package org.crmanalytics.models.btyd;

import java.io.Serializable;

/**
 * Whether a fitted BTYD model can be published ({@link FitDiagnostics}): {@code degenerate} with a
 * machine-readable {@code code} (the run manifest's flag code) and a {@code reason} in plain words,
 * or fit for use: {@link #OK}, or usable with a note the user must still see (a reason that is not
 * empty, e.g. {@code clv_homogeneous_dropout}).
 */
public record FitVerdict(boolean degenerate, String code, String reason) implements Serializable {
  public static final FitVerdict OK = new FitVerdict(false, "ok", "");

  static FitVerdict degenerate(String code, String reason) {
    return new FitVerdict(true, code, reason);
  }

  static FitVerdict usableWithNote(String code, String reason) {
    return new FitVerdict(false, code, reason);
  }

  /** Usable, but with something to flag. */
  public boolean hasNote() {
    return !degenerate && !reason.isEmpty();
  }
}

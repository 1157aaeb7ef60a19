package dev.signet.platform.config;

import java.util.List;
import java.util.Locale;

/**
 * A setting that lists codes, such as ISO 3166-1 region codes: each is trimmed and upper-cased and
 * blanks are dropped, so that {@code " gb,US, "} and {@code "GB,US"} mean the same; unset is none.
 */
public final class CodeList {

  private CodeList() {}

  public static List<String> normalise(List<String> configured) {
    return configured == null
        ? List.of()
        : configured.stream()
            .map(String::trim)
            .filter(code -> !code.isEmpty())
            .map(code -> code.toUpperCase(Locale.ROOT))
            .toList();
  }
}

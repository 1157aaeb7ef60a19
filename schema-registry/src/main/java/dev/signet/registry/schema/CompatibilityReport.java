package dev.signet.registry.schema;

import java.util.List;

/** Outcome of a compatibility check; the messages follow Confluent's verbose format. */
public record CompatibilityReport(boolean compatible, List<String> messages) {

  static CompatibilityReport ok() {
    return new CompatibilityReport(true, List.of());
  }
}

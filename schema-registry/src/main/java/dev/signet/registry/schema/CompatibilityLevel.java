package dev.signet.registry.schema;

import java.util.Locale;
import java.util.Optional;

/** Confluent's compatibility levels: which direction is checked, and against which versions. */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** The new schema must read data written with the old ones. */
  boolean backward() {
    return backward;
  }

  /** The old schemas must read data written with the new one. */
  boolean forward() {
    return forward;
  }

  /** Checked against every live version, not just the latest. */
  boolean transitive() {
    return transitive;
  }

  /** Parses a level case-insensitively, as Confluent does. */
  public static Optional<CompatibilityLevel> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

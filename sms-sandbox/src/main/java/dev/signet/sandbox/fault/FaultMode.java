package dev.signet.sandbox.fault;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the sandbox answers a send while a fault is armed. */
public enum FaultMode {
  /** Accept normally. */
  OK,
  /** SMS API status 1; Messages API HTTP 429. */
  THROTTLE,
  /** HTTP 500 on both APIs. */
  ERROR,
  /** Hold the response far longer than any sane client timeout, then answer 504. */
  TIMEOUT,
  /** SMS API status 6 (unroutable); Messages API HTTP 422 (invalid number). */
  REJECT,
  /** SMS API status 9 (partner quota exceeded); Messages API HTTP 402 (low balance). */
  QUOTA,
  /** Accept the message but never deliver it: no inbox entry, no receipt (a silent carrier). */
  SILENT,
  /**
   * Hold the send for a while ({@link Slow#hold()}), then take it and answer as {@link #OK} does. A
   * client that goes away during the hold finds the message taken anyway or dropped, as {@link
   * Slow#clientGone()} says.
   */
  SLOW;

  @JsonCreator
  static FaultMode parse(String value) {
    return valueOf(value.trim().toUpperCase(Locale.ROOT));
  }

  @JsonValue
  String json() {
    return name().toLowerCase(Locale.ROOT);
  }
}

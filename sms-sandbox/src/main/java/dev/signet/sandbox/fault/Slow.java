package dev.signet.sandbox.fault;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;

/**
 * How the {@link FaultMode#SLOW} fault holds a send.
 *
 * @param hold how long the send is held before the provider takes it and answers
 * @param clientGone what becomes of a held send whose client disconnected before the answer
 */
public record Slow(@JsonIgnore Duration hold, ClientGone clientGone) {

  /** The hold in milliseconds, as {@code GET /faults} shows it. */
  @JsonProperty("holdMs")
  public long holdMs() {
    return hold.toMillis();
  }

  /** What a provider does with a message whose client went away while it was held. */
  public enum ClientGone {
    /**
     * Takes it anyway, as a provider that had already queued it does: it is delivered and its
     * receipt is sent, though its sender never learnt it was accepted.
     */
    ACCEPT,
    /** Drops it: never delivered, no receipt. */
    DROP;

    @JsonCreator
    static ClientGone parse(String value) {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    @JsonValue
    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}

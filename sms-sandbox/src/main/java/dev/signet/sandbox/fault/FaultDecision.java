package dev.signet.sandbox.fault;

import java.util.Optional;

/**
 * What one send must do: the fault mode, for accepted messages an optional receipt status that
 * replaces the configured one, and for {@link FaultMode#SLOW} how the send is held (null
 * otherwise).
 */
public record FaultDecision(FaultMode mode, Optional<String> receiptStatus, Slow slow) {

  public static final FaultDecision NONE = new FaultDecision(FaultMode.OK, Optional.empty(), null);

  public FaultDecision(FaultMode mode, Optional<String> receiptStatus) {
    this(mode, receiptStatus, null);
  }
}

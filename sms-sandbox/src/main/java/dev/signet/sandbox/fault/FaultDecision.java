package dev.signet.sandbox.fault;

import java.util.Optional;

/**
 * What one send must do: the fault mode, and for accepted messages an optional receipt status that
 * replaces the configured one.
 */
public record FaultDecision(FaultMode mode, Optional<String> receiptStatus) {

  public static final FaultDecision NONE = new FaultDecision(FaultMode.OK, Optional.empty());
}

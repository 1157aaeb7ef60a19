package dev.signet.sandbox.fault;

import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The armed fault: applies to the next {@code remaining} sends, then the sandbox behaves normally
 * again. A negative count keeps the fault until it is replaced.
 */
@Component
public class Faults {

  private FaultMode mode = FaultMode.OK;
  private String receiptStatus;
  private int remaining;
  private long applied;

  public synchronized void arm(FaultMode mode, Optional<String> receiptStatus, int count) {
    this.mode = mode;
    this.receiptStatus = receiptStatus.orElse(null);
    this.remaining = count;
  }

  /** Consumes one unit of the armed fault for a send that passed authentication and validation. */
  public synchronized FaultDecision next() {
    if (remaining == 0) {
      return FaultDecision.NONE;
    }
    if (remaining > 0) {
      remaining--;
    }
    applied++;
    FaultDecision decision = new FaultDecision(mode, Optional.ofNullable(receiptStatus));
    if (remaining == 0) {
      mode = FaultMode.OK;
      receiptStatus = null;
    }
    return decision;
  }

  public synchronized FaultState state() {
    return new FaultState(remaining == 0 ? FaultMode.OK : mode, receiptStatus, remaining, applied);
  }

  /**
   * Snapshot for {@code GET /faults}.
   *
   * @param mode armed mode ({@code ok} when nothing is armed)
   * @param receiptStatus receipt status override for accepted messages, if any
   * @param remaining sends the fault still applies to (negative: until replaced)
   * @param applied sends a fault has applied to since start-up
   */
  public record FaultState(FaultMode mode, String receiptStatus, int remaining, long applied) {}
}

package dev.signet.sandbox.fault;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The armed faults: each applies to the next {@code remaining} sends of its scope, then the sandbox
 * behaves normally again (a negative count keeps it until it is replaced). A scope is a provider
 * ({@code vonage}: the SMS API and the Messages API; {@code twilio}) and a destination region, each
 * optional; a send takes the fault of the most specific armed scope (provider and region, then
 * region, then provider, then the unscoped fault). Every scope counts the sends it applied to. The
 * {@code slow} fault's held sends are counted too ({@link #hold}).
 */
@Component
public class Faults {

  /** Where a fault applies; null members match everything. */
  public record Scope(String provider, String country) {
    public Scope {
      provider =
          provider == null || provider.isBlank() ? null : provider.trim().toLowerCase(Locale.ROOT);
      country =
          country == null || country.isBlank() ? null : country.trim().toUpperCase(Locale.ROOT);
    }

    static final Scope ANY = new Scope(null, null);
  }

  private static final class Armed {
    FaultMode mode = FaultMode.OK;
    String receiptStatus;
    Slow slow;
    int remaining;
    long applied;
  }

  private final Map<Scope, Armed> armed = new LinkedHashMap<>();
  private final Holds holds = new Holds();

  public Faults() {
    armed.put(Scope.ANY, new Armed());
  }

  /** Arms a fault on every send, whatever its provider or destination. */
  public synchronized void arm(FaultMode mode, Optional<String> receiptStatus, int count) {
    arm(Scope.ANY, mode, receiptStatus, count);
  }

  /**
   * Arms a fault on one scope. {@code ok} without a receipt status on the unscoped fault clears
   * every scope.
   */
  public synchronized void arm(
      Scope scope, FaultMode mode, Optional<String> receiptStatus, int count) {
    arm(scope, mode, receiptStatus, count, null);
  }

  /**
   * Arms a fault on one scope; {@code slow} says how the {@code slow} mode holds sends (ignored by
   * the other modes).
   */
  public synchronized void arm(
      Scope scope, FaultMode mode, Optional<String> receiptStatus, int count, Slow slow) {
    if (mode == FaultMode.SLOW && slow == null) {
      throw new IllegalArgumentException("the slow fault needs a hold");
    }
    if (scope.equals(Scope.ANY) && mode == FaultMode.OK && receiptStatus.isEmpty()) {
      armed.keySet().removeIf(s -> !s.equals(Scope.ANY));
    }
    Armed fault = armed.computeIfAbsent(scope, s -> new Armed());
    fault.mode = mode;
    fault.receiptStatus = receiptStatus.orElse(null);
    fault.slow = mode == FaultMode.SLOW ? slow : null;
    fault.remaining = count;
  }

  /** Consumes one unit of the unscoped fault (a send whose provider and region do not matter). */
  public synchronized FaultDecision next() {
    return next(null, null);
  }

  /**
   * Consumes one unit of the most specific fault armed for a send through {@code provider} to
   * {@code country} that passed authentication and validation.
   */
  public synchronized FaultDecision next(String provider, String country) {
    Scope asked = new Scope(provider, country);
    for (Scope scope :
        List.of(
            asked,
            new Scope(null, asked.country()),
            new Scope(asked.provider(), null),
            Scope.ANY)) {
      Armed fault = armed.get(scope);
      if (fault != null && fault.remaining != 0) {
        if (fault.remaining > 0) {
          fault.remaining--;
        }
        fault.applied++;
        FaultDecision decision =
            new FaultDecision(fault.mode, Optional.ofNullable(fault.receiptStatus), fault.slow);
        if (fault.remaining == 0) {
          fault.mode = FaultMode.OK;
          fault.receiptStatus = null;
          fault.slow = null;
        }
        return decision;
      }
    }
    return FaultDecision.NONE;
  }

  /**
   * The answer to a send that {@code decision} holds ({@link FaultMode#SLOW}): {@code answer},
   * which takes the message, runs when the hold ends, also after the client went away unless the
   * fault drops such sends. {@code clientRef} (may be null) and {@code to} name the send in {@link
   * #heldSends()}.
   */
  public <T> Mono<T> hold(
      FaultDecision decision, String clientRef, String to, Supplier<Mono<T>> answer) {
    return holds.hold(decision.slow(), clientRef, to, answer);
  }

  /** The last sends the {@code slow} fault held, newest first, each with what became of it. */
  public List<Holds.Send> heldSends() {
    return holds.sends();
  }

  public synchronized FaultState state() {
    Armed any = armed.get(Scope.ANY);
    List<ScopedState> scoped = new ArrayList<>();
    armed.forEach(
        (scope, fault) -> {
          if (!scope.equals(Scope.ANY)) {
            scoped.add(
                new ScopedState(
                    scope.provider(),
                    scope.country(),
                    fault.remaining == 0 ? FaultMode.OK : fault.mode,
                    fault.receiptStatus,
                    fault.remaining,
                    fault.applied,
                    fault.remaining == 0 ? null : fault.slow));
          }
        });
    return new FaultState(
        any.remaining == 0 ? FaultMode.OK : any.mode,
        any.receiptStatus,
        any.remaining,
        any.applied,
        any.remaining == 0 ? null : any.slow,
        List.copyOf(scoped),
        holds.state());
  }

  /**
   * Snapshot for {@code GET /faults}.
   *
   * @param mode armed mode of the unscoped fault ({@code ok} when nothing is armed)
   * @param receiptStatus receipt status override for accepted messages, if any
   * @param remaining sends the fault still applies to (negative: until replaced)
   * @param applied sends the unscoped fault has applied to since start-up
   * @param slow how the unscoped {@code slow} fault holds sends; null for the other modes
   * @param scoped the faults armed for a provider or a region, each with its own counts
   * @param holds the sends held by {@code slow} faults of any scope
   */
  public record FaultState(
      FaultMode mode,
      String receiptStatus,
      int remaining,
      long applied,
      Slow slow,
      List<ScopedState> scoped,
      Holds.State holds) {}

  /** One scoped fault in {@code GET /faults}: {@code applied} counts the sends of its scope. */
  public record ScopedState(
      String provider,
      String country,
      FaultMode mode,
      String receiptStatus,
      int remaining,
      long applied,
      Slow slow) {}
}

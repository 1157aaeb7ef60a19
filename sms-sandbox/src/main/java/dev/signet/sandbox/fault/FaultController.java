package dev.signet.sandbox.fault;

import dev.signet.sandbox.SandboxProperties;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Arms faults for tests: {@code POST /faults {"mode":"throttle","count":2}}. */
@RestController
class FaultController {

  private static final Logger log = LoggerFactory.getLogger(FaultController.class);

  private static final java.util.Set<String> PROVIDERS = java.util.Set.of("vonage", "twilio");

  /** The longest hold the {@code slow} fault takes. */
  private static final long MAX_HOLD_MS = 600_000;

  private final Faults faults;
  private final SandboxProperties properties;

  FaultController(Faults faults, SandboxProperties properties) {
    this.faults = faults;
    this.properties = properties;
  }

  @PostMapping("/faults")
  ResponseEntity<?> arm(@RequestBody FaultRequest request) {
    FaultMode mode = request.mode() == null ? FaultMode.OK : request.mode();
    Optional<String> receiptStatus =
        Optional.ofNullable(request.receiptStatus()).map(s -> s.trim().toLowerCase());
    if (receiptStatus.isPresent()
        && !SandboxProperties.RECEIPT_STATUSES.contains(receiptStatus.get())) {
      return ResponseEntity.badRequest()
          .body(
              Map.of(
                  "error", "receiptStatus must be one of " + SandboxProperties.RECEIPT_STATUSES));
    }
    if (request.provider() != null && !PROVIDERS.contains(request.provider().trim())) {
      return ResponseEntity.badRequest()
          .body(Map.of("error", "provider must be one of " + PROVIDERS));
    }
    if (request.country() != null && !request.country().trim().matches("[A-Za-z]{2}")) {
      return ResponseEntity.badRequest()
          .body(Map.of("error", "country must be an ISO 3166-1 alpha-2 region such as DE"));
    }
    if (mode != FaultMode.SLOW && (request.holdMs() != null || request.clientGone() != null)) {
      return ResponseEntity.badRequest()
          .body(Map.of("error", "holdMs and clientGone apply to mode slow only"));
    }
    if (request.holdMs() != null && (request.holdMs() < 0 || request.holdMs() > MAX_HOLD_MS)) {
      return ResponseEntity.badRequest()
          .body(Map.of("error", "holdMs must be between 0 and " + MAX_HOLD_MS));
    }
    Slow slow =
        mode != FaultMode.SLOW
            ? null
            : new Slow(
                request.holdMs() == null
                    ? properties.slowHold()
                    : java.time.Duration.ofMillis(request.holdMs()),
                request.clientGone() == null ? Slow.ClientGone.ACCEPT : request.clientGone());
    boolean clears = mode == FaultMode.OK && receiptStatus.isEmpty();
    int count = clears ? 0 : request.count() == null ? 1 : request.count();
    Faults.Scope scope = new Faults.Scope(request.provider(), request.country());
    faults.arm(scope, mode, receiptStatus, count, slow);
    log.info(
        "fault armed mode={} count={} receiptStatus={} slow={} provider={} country={}",
        mode,
        count,
        receiptStatus.orElse("-"),
        slow == null ? "-" : slow.holdMs() + "ms/" + slow.clientGone().json(),
        scope.provider() == null ? "*" : scope.provider(),
        scope.country() == null ? "*" : scope.country());
    return ResponseEntity.ok(faults.state());
  }

  @GetMapping("/faults")
  Faults.FaultState state() {
    return faults.state();
  }

  /** The last sends the {@code slow} fault held, newest first, and what became of each. */
  @GetMapping("/faults/holds")
  Map<String, Object> holds() {
    return Map.of("holds", faults.heldSends());
  }

  /**
   * @param mode ok, throttle, error, timeout, reject, quota, silent or slow
   * @param count how many sends it applies to (default 1; negative: until replaced)
   * @param receiptStatus receipt status for the messages accepted while armed
   * @param provider vonage or twilio; null: every provider
   * @param country ISO region of the destination; null: every destination
   * @param holdMs slow only: how long each send is held (default {@code
   *     SIGNET_SANDBOX_SLOW_HOLD_MS})
   * @param clientGone slow only: accept (default) or drop a held send whose client disconnected
   */
  record FaultRequest(
      FaultMode mode,
      Integer count,
      String receiptStatus,
      String provider,
      String country,
      Long holdMs,
      Slow.ClientGone clientGone) {}
}

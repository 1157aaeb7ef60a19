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

  private final Faults faults;

  FaultController(Faults faults) {
    this.faults = faults;
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
    boolean clears = mode == FaultMode.OK && receiptStatus.isEmpty();
    int count = clears ? 0 : request.count() == null ? 1 : request.count();
    Faults.Scope scope = new Faults.Scope(request.provider(), request.country());
    faults.arm(scope, mode, receiptStatus, count);
    log.info(
        "fault armed mode={} count={} receiptStatus={} provider={} country={}",
        mode,
        count,
        receiptStatus.orElse("-"),
        scope.provider() == null ? "*" : scope.provider(),
        scope.country() == null ? "*" : scope.country());
    return ResponseEntity.ok(faults.state());
  }

  @GetMapping("/faults")
  Faults.FaultState state() {
    return faults.state();
  }

  /**
   * @param mode ok, throttle, error, timeout, reject, quota or silent
   * @param count how many sends it applies to (default 1; negative: until replaced)
   * @param receiptStatus receipt status for the messages accepted while armed
   * @param provider vonage or twilio; null: every provider
   * @param country ISO region of the destination; null: every destination
   */
  record FaultRequest(
      FaultMode mode, Integer count, String receiptStatus, String provider, String country) {}
}

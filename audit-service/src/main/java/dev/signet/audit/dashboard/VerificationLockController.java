package dev.signet.audit.dashboard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.signet.platform.web.MismatchText;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verification locks under {@code /dashboard/api/verification-locks}: a number's or user's lock as
 * challenge-service reports it, the resets taken here, and a reset by the signed-in operator.
 */
@RestController
class VerificationLockController {

  private static final int MAX_NOTE = 500;
  private static final int MAX_PHONE = 64;
  private static final int MAX_USER_ID = 128;

  private final VerificationLockResets lockResets;
  private final JsonMapper json;

  VerificationLockController(VerificationLockResets lockResets, JsonMapper json) {
    this.lockResets = lockResets;
    this.json = json;
  }

  /** A phone number's and/or user's verification lock, as challenge-service reports it. */
  @GetMapping(
      path = "/dashboard/api/verification-locks",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<JsonNode> verificationLocks(
      @RequestParam(name = "phoneNumber", required = false) String phoneNumber,
      @RequestParam(name = "userId", required = false) String userId) {
    lockSubjects(phoneNumber, userId);
    return DashboardRequests.current()
        .then(lockResets.state(blankToNull(phoneNumber), blankToNull(userId)));
  }

  /** Resets taken in the dashboard, newest first. */
  record LockResets(List<VerificationLockResets.LockReset> resets) {}

  /**
   * A reset as the operator sends it: {@code {phoneNumber?, userId?, reason?}}; the operator is the
   * session's, never a member.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record LockResetRequest(
      @MismatchText("phoneNumber must be a string of at most " + MAX_PHONE + " characters.")
          String phoneNumber,
      @MismatchText("userId must be a string of at most " + MAX_USER_ID + " characters.")
          String userId,
      @MismatchText("reason must be a string of at most " + MAX_NOTE + " characters.")
          String reason) {}

  /** Resets taken in the dashboard, newest first: {@code {resets:[...]}}. */
  @GetMapping(
      path = "/dashboard/api/verification-locks/resets",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<LockResets> verificationLockResets(
      @RequestParam(name = "limit", required = false) String limit) {
    return lockResets.recent(DashboardRequests.limit(limit)).collectList().map(LockResets::new);
  }

  /**
   * Body {@code {phoneNumber?, userId?, reason?}}: clears the consecutive-failure count of the
   * number and/or user (the only way out of the lock at 100); the operator is the session's.
   */
  @PostMapping(
      path = "/dashboard/api/verification-locks/reset",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<JsonNode> resetVerificationLock(@RequestBody(required = false) String body) {
    LockResetRequest request =
        DashboardRequests.read(
            json,
            body,
            LockResetRequest.class,
            "the operator is the signed-in one.",
            "operator",
            "resetBy");
    String phoneNumber = blankToNull(within(request.phoneNumber(), "phoneNumber", MAX_PHONE));
    String userId = blankToNull(within(request.userId(), "userId", MAX_USER_ID));
    lockSubjects(phoneNumber, userId);
    String reason = blankToNull(within(request.reason(), "reason", MAX_NOTE));
    return DashboardRequests.current()
        .flatMap(
            session ->
                lockResets.reset(
                    phoneNumber, userId, session.operator(), reason == null ? null : reason));
  }

  private static void lockSubjects(String phoneNumber, String userId) {
    if (blankToNull(phoneNumber) == null && blankToNull(userId) == null) {
      throw DashboardException.invalid("Give a phoneNumber, a userId, or both.");
    }
    if (blankToNull(userId) != null && !DashboardRequests.URL_SAFE_ID.matcher(userId).matches()) {
      throw DashboardException.invalid("userId must be 1 to 128 URL-safe characters.");
    }
  }

  private static String within(String value, String field, int max) {
    if (value != null && value.length() > max) {
      throw DashboardException.invalid(
          field + " must be a string of at most " + max + " characters.");
    }
    return value;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}

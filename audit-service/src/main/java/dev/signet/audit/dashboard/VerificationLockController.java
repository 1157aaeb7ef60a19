package dev.signet.audit.dashboard;

import java.util.Map;
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

  /** Resets taken in the dashboard, newest first: {@code {resets:[...]}}. */
  @GetMapping(
      path = "/dashboard/api/verification-locks/resets",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> verificationLockResets(
      @RequestParam(name = "limit", required = false) String limit) {
    return lockResets
        .recent(DashboardRequests.limit(limit))
        .collectList()
        .map(list -> Map.of("resets", list));
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
    JsonNode node = DashboardRequests.parse(json, body);
    for (String typed : new String[] {"operator", "resetBy"}) {
      if (node.has(typed)) {
        throw DashboardException.invalid(
            typed + " cannot be sent: the operator is the signed-in one.");
      }
    }
    String phoneNumber = blankToNull(optionalText(node, "phoneNumber", 64));
    String userId = blankToNull(optionalText(node, "userId", 128));
    lockSubjects(phoneNumber, userId);
    String reason = blankToNull(optionalText(node, "reason", MAX_NOTE));
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

  private static String optionalText(JsonNode node, String field, int max) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString() || value.asText().length() > max) {
      throw DashboardException.invalid(
          field + " must be a string of at most " + max + " characters.");
    }
    return value.asText();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}

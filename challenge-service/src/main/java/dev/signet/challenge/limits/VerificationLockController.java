package dev.signet.challenge.limits;

import dev.signet.challenge.limits.ConsecutiveFailures.Subject;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.web.ApiException;
import dev.signet.challenge.web.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The operators' verification-lock routes (management secret, docs/api.md): read the
 * consecutive-failure state of a phone number and/or a user, and reset it.
 */
@RestController
class VerificationLockController {

  private static final String JSON = MediaType.APPLICATION_JSON_VALUE;
  private static final String PATH = "/v1/management/verification-locks";

  private final VerificationLocks locks;

  VerificationLockController(VerificationLocks locks) {
    this.locks = locks;
  }

  record ResetRequest(Object phoneNumber, Object userId, Object operator, Object reason) {}

  @GetMapping(path = PATH, produces = JSON)
  Mono<Map<String, Object>> state(
      @RequestParam(required = false) String phoneNumber,
      @RequestParam(required = false) String userId) {
    return Mono.fromCallable(() -> subjects(phoneNumber, userId))
        .flatMap(
            subjects -> locks.state(subjects).map(VerificationLockController::view).collectList())
        .map(accounts -> Map.of("accounts", accounts));
  }

  @PostMapping(path = PATH + "/reset", consumes = JSON, produces = JSON)
  Mono<Map<String, Object>> reset(@RequestBody ResetRequest request) {
    return Mono.fromCallable(
            () -> {
              String operator = Json.requiredString(request.operator(), "operator", 128);
              String reason = Json.optionalString(request.reason(), "reason", 512);
              return new Object[] {
                subjects(request.phoneNumber(), request.userId()), operator, reason
              };
            })
        .flatMap(
            args -> {
              @SuppressWarnings("unchecked")
              List<Subject> subjects = (List<Subject>) args[0];
              return locks.reset(subjects, (String) args[1], (String) args[2]);
            })
        .map(
            reset -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("resetId", reset.resetId());
              body.put("operator", reset.operator());
              body.put("reason", reset.reason());
              body.put("resetAt", reset.at().getEpochSecond());
              body.put(
                  "accounts",
                  reset.before().stream().map(VerificationLockController::view).toList());
              return body;
            });
  }

  private static List<Subject> subjects(Object phoneNumber, Object userId) {
    String phone = Json.optionalString(phoneNumber, "phoneNumber", 64);
    String user = Json.id(userId, "userId", false);
    if (phone == null && user == null) {
      throw ApiException.invalid("Give a phoneNumber, a userId, or both.");
    }
    List<Subject> subjects = new ArrayList<>(2);
    if (phone != null) {
      subjects.add(Subject.phone(PhoneNumbers.parse(phone).e164()));
    }
    if (user != null) {
      subjects.add(Subject.user(user));
    }
    return subjects;
  }

  /** The state before (or without) a reset, as the API shows it. */
  private static Map<String, Object> view(VerificationLocks.Account account) {
    Map<String, Object> view = new LinkedHashMap<>();
    boolean phone = account.subject().kind() == Subject.Kind.PHONE;
    view.put("type", phone ? "PHONE_NUMBER" : "USER");
    view.put(phone ? "phoneNumber" : "userId", account.shown());
    view.put("consecutiveFailures", account.state().count());
    view.put("locked", account.state().locked());
    view.put("lockedUntilOperatorReset", account.state().permanent());
    view.put(
        "lockedUntil",
        account.state().lockEnds() == null ? null : account.state().lockEnds().getEpochSecond());
    return view;
  }
}

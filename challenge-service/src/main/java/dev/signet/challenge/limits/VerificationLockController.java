package dev.signet.challenge.limits;

import dev.signet.challenge.limits.ConsecutiveFailures.Subject;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.web.ApiException;
import dev.signet.challenge.web.Fields;
import java.util.ArrayList;
import java.util.List;
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

  record ResetRequest(String phoneNumber, String userId, String operator, String reason) {}

  record Accounts(List<AccountView> accounts) {}

  record ResetView(
      String resetId, String operator, String reason, long resetAt, List<AccountView> accounts) {}

  /** The state before (or without) a reset, as the API shows it. */
  record AccountView(
      String type,
      String phoneNumber,
      String userId,
      int consecutiveFailures,
      boolean locked,
      boolean lockedUntilOperatorReset,
      Long lockedUntil) {

    static AccountView of(VerificationLocks.Account account) {
      boolean phone = account.subject().kind() == Subject.Kind.PHONE;
      return new AccountView(
          phone ? "PHONE_NUMBER" : "USER",
          phone ? account.shown() : null,
          phone ? null : account.shown(),
          account.state().count(),
          account.state().locked(),
          account.state().permanent(),
          account.state().lockEnds() == null ? null : account.state().lockEnds().getEpochSecond());
    }
  }

  @GetMapping(path = PATH, produces = JSON)
  Mono<Accounts> state(
      @RequestParam(required = false) String phoneNumber,
      @RequestParam(required = false) String userId) {
    return Mono.fromCallable(() -> subjects(phoneNumber, userId))
        .flatMap(subjects -> locks.state(subjects).map(AccountView::of).collectList())
        .map(Accounts::new);
  }

  @PostMapping(path = PATH + "/reset", consumes = JSON, produces = JSON)
  Mono<ResetView> reset(@RequestBody ResetRequest request) {
    String operator = Fields.required(request.operator(), "operator", 128);
    String reason = Fields.optional(request.reason(), "reason", 512);
    List<Subject> subjects = subjects(request.phoneNumber(), request.userId());
    return locks
        .reset(subjects, operator, reason)
        .map(
            reset ->
                new ResetView(
                    reset.resetId(),
                    reset.operator(),
                    reset.reason(),
                    reset.at().getEpochSecond(),
                    reset.before().stream().map(AccountView::of).toList()));
  }

  private static List<Subject> subjects(String phoneNumber, String userId) {
    String phone = Fields.optional(phoneNumber, "phoneNumber", 64);
    String user = Fields.id(userId, "userId", false);
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
}

package dev.signet.challenge.token;

import dev.signet.challenge.token.TokenVerification.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts token verifications as {@code signet.token.verifications{kind,result}}: {@code result} is
 * {@code valid} or the rejection's stable code ({@code bad_signature}, {@code expired}, ...),
 * {@code kind} is {@code challenge} (track, access, success tokens) or {@code session}. A burst of
 * rejections is someone guessing, replaying or forging tokens, or a key rotated without its relying
 * parties.
 */
final class VerificationMeters {

  static final String METER = "signet.token.verifications";

  private final Counters challenge;
  private final Counters session;

  VerificationMeters(MeterRegistry meters) {
    this.challenge = new Counters(meters, "challenge");
    this.session = new Counters(meters, "session");
  }

  TokenVerification counted(TokenVerification verification) {
    challenge.count(
        verification instanceof TokenVerification.Rejected rejected ? rejected.reason() : null);
    return verification;
  }

  SessionTokenVerification counted(SessionTokenVerification verification) {
    session.count(
        verification instanceof SessionTokenVerification.Rejected rejected
            ? rejected.reason()
            : null);
    return verification;
  }

  /** Registered up front, so every series exists (at 0) before the first rejection. */
  private static final class Counters {
    private final Counter valid;
    private final Map<Reason, Counter> rejected = new EnumMap<>(Reason.class);

    Counters(MeterRegistry meters, String kind) {
      this.valid = counter(meters, kind, "valid");
      for (Reason reason : Reason.values()) {
        rejected.put(reason, counter(meters, kind, reason.code()));
      }
    }

    void count(Reason rejection) {
      (rejection == null ? valid : rejected.get(rejection)).increment();
    }

    private static Counter counter(MeterRegistry meters, String kind, String result) {
      return Counter.builder(METER)
          .description("Token verifications: valid, or the reason of the rejection")
          .tag("kind", kind)
          .tag("result", result)
          .register(meters);
    }
  }
}

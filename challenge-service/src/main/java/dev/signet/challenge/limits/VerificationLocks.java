package dev.signet.challenge.limits;

import dev.signet.challenge.limits.ConsecutiveFailures.Subject;
import dev.signet.challenge.phone.PhoneNumbers;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The operator's view of the consecutive-failure accounts: their state, and the reset that is the
 * only way out of the permanent lock at the cap. Every reset is recorded in {@code
 * verificationLockResets} with the operator, the reason, the time and the counts it cleared, and
 * logged; the phone number is stored and shown masked.
 */
@Component
public class VerificationLocks {

  static final String RESETS = "verificationLockResets";

  private static final Logger log = LoggerFactory.getLogger(VerificationLocks.class);

  private final ConsecutiveFailures failures;
  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  VerificationLocks(ConsecutiveFailures failures, ReactiveMongoTemplate mongo, Clock clock) {
    this.failures = failures;
    this.mongo = mongo;
    this.clock = clock;
  }

  /** One account as the operator sees it. */
  public record Account(Subject subject, ConsecutiveFailures.State state) {

    /** The phone number masked, or the user id. */
    String shown() {
      return subject.kind() == Subject.Kind.PHONE ? PhoneNumbers.mask(subject.id()) : subject.id();
    }
  }

  /** A recorded reset. */
  public record Reset(
      String resetId, String operator, String reason, Instant at, List<Account> before) {}

  public Flux<Account> state(List<Subject> subjects) {
    return Flux.fromIterable(subjects)
        .concatMap(subject -> failures.state(subject).map(state -> new Account(subject, state)));
  }

  /** Clears the accounts and records who did it; returns what they held before. */
  public Mono<Reset> reset(List<Subject> subjects, String operator, String reason) {
    Instant now = clock.instant();
    String resetId = UUID.randomUUID().toString();
    return state(subjects)
        .collectList()
        .flatMap(
            before -> {
              Document record =
                  new Document("_id", resetId)
                      .append("operator", operator)
                      .append("reason", reason)
                      .append("at", Date.from(now))
                      .append(
                          "accounts",
                          before.stream()
                              .map(
                                  a ->
                                      new Document("type", a.subject().kind().name())
                                          .append("account", a.shown())
                                          .append("consecutiveFailures", a.state().count())
                                          .append("locked", a.state().locked()))
                              .toList());
              // Recorded first: a reset that is not on record never happens.
              return mongo
                  .insert(record, RESETS)
                  .then(failures.resetAll(subjects))
                  .doOnSuccess(
                      done ->
                          log.info(
                              "verification lock reset resetId={} operator={} accounts={}",
                              resetId,
                              operator,
                              before.stream()
                                  .map(a -> a.subject().kind() + ":" + a.shown())
                                  .toList()))
                  .thenReturn(new Reset(resetId, operator, reason, now, before));
            });
  }
}

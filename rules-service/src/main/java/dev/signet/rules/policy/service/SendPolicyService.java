package dev.signet.rules.policy.service;

import dev.signet.rules.config.SendPolicyProperties;
import dev.signet.rules.policy.SendPolicy;
import dev.signet.rules.store.SendPolicyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Reads and changes the send policy. A change is computed from the stored version and written only
 * if nobody changed it meanwhile (retried on the fresh version otherwise), then handed to the
 * publisher; the stored document is the outbox, so a change is never announced without being stored
 * nor stored without eventually being announced.
 */
@Service
public class SendPolicyService {

  private static final Logger log = LoggerFactory.getLogger(SendPolicyService.class);
  private static final int MAX_CONFLICTS = 20;

  private final SendPolicyStore store;
  private final SendPolicyProperties initial;
  private final PolicyPublication publication;
  private final Clock clock;

  SendPolicyService(
      SendPolicyStore store,
      SendPolicyProperties initial,
      PolicyPublication publication,
      Clock clock) {
    this.store = store;
    this.initial = initial;
    this.publication = publication;
    this.clock = clock;
  }

  /** Announces a stored policy version; implemented by the Kafka adapter. */
  public interface PolicyPublication {
    /** Asks for the latest stored version to be published soon (never blocks). */
    void requestPublish();
  }

  /** The policy in force (the configured initial one is stored first if none exists). */
  public Mono<SendPolicy> current() {
    return store
        .load(SendPolicy.GLOBAL)
        .switchIfEmpty(Mono.defer(() -> initialise().then(store.load(SendPolicy.GLOBAL))))
        .map(SendPolicyStore.Stored::policy);
  }

  /** Stores the configured policy as version 1 unless a policy exists; idempotent. */
  public Mono<Boolean> initialise() {
    return store
        .insertIfAbsent(initialPolicy(clock.instant()))
        .doOnNext(
            inserted -> {
              if (inserted) {
                log.info("send policy initialised from configuration version=1");
                publication.requestPublish();
              }
            });
  }

  /**
   * Applies {@code change} to the current policy and stores the result as the next version. The
   * change returns the policy unchanged (the same instance) when there is nothing to do; then
   * nothing is written and the current policy is returned.
   */
  public Mono<SendPolicy> change(UnaryOperator<SendPolicy> change) {
    return attempt(change, 0);
  }

  private Mono<SendPolicy> attempt(UnaryOperator<SendPolicy> change, int conflicts) {
    return current()
        .flatMap(
            policy -> {
              SendPolicy next = change.apply(policy);
              if (next == policy) {
                return Mono.just(policy);
              }
              return store
                  .replace(next)
                  .flatMap(
                      written -> {
                        if (written) {
                          publication.requestPublish();
                          return Mono.just(next);
                        }
                        if (conflicts >= MAX_CONFLICTS) {
                          return Mono.error(
                              new IllegalStateException("send policy changed concurrently"));
                        }
                        return attempt(change, conflicts + 1);
                      });
            });
  }

  SendPolicy initialPolicy(Instant now) {
    SendPolicyProperties p = initial;
    return new SendPolicy(
        SendPolicy.GLOBAL,
        1,
        new SendPolicy.Settings(
            p.allowedCountries(),
            p.shadowMode(),
            velocity(p.perNumber()),
            velocity(p.perPrefix()),
            velocity(p.perCountry()),
            p.dailyGlobalBudget() > 0 ? p.dailyGlobalBudget() : null,
            p.minConversionRate(),
            p.conversionMinVolume(),
            p.conversionWindow(),
            p.autoBlockDuration()),
        List.of(),
        List.of(),
        List.of(),
        "configuration",
        now,
        UUID.randomUUID().toString());
  }

  private static SendPolicy.Velocity velocity(SendPolicyProperties.Limit limit) {
    return new SendPolicy.Velocity(
        Math.max(0, limit.maxCount()),
        limit.window() == null ? Duration.ofMinutes(10) : limit.window());
  }
}

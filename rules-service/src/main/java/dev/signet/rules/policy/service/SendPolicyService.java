package dev.signet.rules.policy.service;

import dev.signet.rules.config.SendPolicyProperties;
import dev.signet.rules.policy.SendPolicy;
import dev.signet.rules.store.SendPolicyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Reads and changes the send policy. A change is computed from the stored version and written only
 * if nobody changed it meanwhile (retried on the fresh version otherwise), then handed to the
 * publisher; the stored document is the outbox, so a change is never announced without being stored
 * nor stored without eventually being announced. Blocking: called on the Kafka listener threads by
 * the pumping guard, and on the bounded elastic scheduler by the management API.
 */
@Service
public class SendPolicyService {

  private static final Logger log = LoggerFactory.getLogger(SendPolicyService.class);
  private static final int MAX_CONFLICTS = 20;

  /**
   * How old the policy that {@link #recent()} answers may be. The pumping guard reads the policy
   * for every event it sees; reading it from MongoDB each time cost two commands per challenge. A
   * change made through this instance is seen at once; one made through another instance within
   * this time.
   */
  static final Duration RECENT = Duration.ofSeconds(1);

  private final SendPolicyStore store;
  private final SendPolicyProperties initial;
  private final PolicyPublication publication;
  private final Clock clock;
  private final AtomicReference<Read> lastRead = new AtomicReference<>();

  /** A policy and when it was read ({@link System#nanoTime()}). */
  private record Read(SendPolicy policy, long atNanos) {}

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
  public SendPolicy current() {
    SendPolicy policy =
        store
            .load(SendPolicy.GLOBAL)
            .or(
                () -> {
                  initialise();
                  return store.load(SendPolicy.GLOBAL);
                })
            .map(SendPolicyStore.Stored::policy)
            .orElseThrow(() -> new IllegalStateException("no send policy stored"));
    remember(policy);
    return policy;
  }

  /**
   * The policy in force as read at most {@link #RECENT} ago: for the pumping guard, which reads it
   * for every event. Its decisions to block go through {@link #change}, which always starts from
   * the stored version.
   */
  public SendPolicy recent() {
    Read read = lastRead.get();
    if (read != null && System.nanoTime() - read.atNanos() < RECENT.toNanos()) {
      return read.policy();
    }
    return current();
  }

  private void remember(SendPolicy policy) {
    lastRead.accumulateAndGet(
        new Read(policy, System.nanoTime()),
        (old, read) -> old != null && old.policy().version() > policy.version() ? old : read);
  }

  /** Stores the configured policy as version 1 unless a policy exists; idempotent. */
  public boolean initialise() {
    boolean inserted = store.insertIfAbsent(initialPolicy(clock.instant()));
    if (inserted) {
      log.info("send policy initialised from configuration version=1");
      publication.requestPublish();
    }
    return inserted;
  }

  /**
   * Applies {@code change} to the current policy and stores the result as the next version. The
   * change returns the policy unchanged (the same instance) when there is nothing to do; then
   * nothing is written and the current policy is returned.
   */
  public SendPolicy change(UnaryOperator<SendPolicy> change) {
    for (int conflicts = 0; ; conflicts++) {
      SendPolicy policy = current();
      SendPolicy next = change.apply(policy);
      if (next == policy) {
        return policy;
      }
      if (store.replace(next)) {
        remember(next);
        publication.requestPublish();
        return next;
      }
      if (conflicts >= MAX_CONFLICTS) {
        throw new IllegalStateException("send policy changed concurrently");
      }
    }
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

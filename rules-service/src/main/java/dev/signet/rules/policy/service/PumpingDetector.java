package dev.signet.rules.policy.service;

import dev.signet.rules.policy.PumpingGuard;
import dev.signet.rules.policy.SendPolicy;
import dev.signet.rules.store.SendTrafficStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The automatic pumping guard: records SMS traffic from the event stream and, after each event,
 * checks the destination against the policy's velocities and conversion breaker. Over a threshold
 * it blocks the prefix or region for the policy's automatic block duration by publishing a new
 * policy version; in shadow mode it only records the detection. Traffic is recorded only for the
 * guards that are on (a guard switched on counts from then). Idempotent: traffic is keyed by event
 * id, and a destination already blocked is not blocked again. Runs on the Kafka listener threads
 * with blocking stores: each event's work is done when a method returns.
 */
@Service
public class PumpingDetector {

  private static final Logger log = LoggerFactory.getLogger(PumpingDetector.class);

  private final SendTrafficStore traffic;
  private final SendPolicyService policies;
  private final Clock clock;

  PumpingDetector(SendTrafficStore traffic, SendPolicyService policies, Clock clock) {
    this.traffic = traffic;
    this.policies = policies;
    this.clock = clock;
  }

  /** A code was issued to {@code e164}: counts for prefix and region velocity. */
  public void onRequested(String eventId, String e164, String country, Instant at) {
    SendPolicy policy = policies.recent();
    SendPolicy.Settings s = policy.settings();
    if (!s.perPrefix().on() && !s.perCountry().on()) {
      return; // no velocity guard reads this traffic: it counts from the moment one is on
    }
    String prefix = PumpingGuard.prefixOf(e164);
    String region = blankToNull(country);
    traffic.record(eventId, SendTrafficStore.Kind.REQUESTED, prefix, region, at);
    velocity(policy, SendPolicy.Kind.PREFIX, prefix, eventId);
    velocity(policy, SendPolicy.Kind.COUNTRY, region, eventId);
  }

  /** The provider accepted a message to {@code country}: the breaker's "sent". */
  public void onDispatched(String eventId, String country, Instant at) {
    String region = blankToNull(country);
    SendPolicy policy = policies.recent();
    if (region == null || !policy.settings().conversionBreakerOn()) {
      return; // the conversion breaker alone reads this traffic
    }
    traffic.record(eventId, SendTrafficStore.Kind.DISPATCHED, null, region, at);
    conversion(policy, region, eventId);
  }

  /** A challenge to {@code country} was verified: the breaker's "verified". */
  public void onVerified(String eventId, String country, Instant at) {
    String region = blankToNull(country);
    if (region != null && policies.recent().settings().conversionBreakerOn()) {
      traffic.record(eventId, SendTrafficStore.Kind.VERIFIED, null, region, at);
    }
  }

  private void velocity(SendPolicy policy, SendPolicy.Kind kind, String value, String eventId) {
    SendPolicy.Velocity limit =
        kind == SendPolicy.Kind.PREFIX
            ? policy.settings().perPrefix()
            : policy.settings().perCountry();
    if (value == null || !limit.on()) {
      return;
    }
    Instant now = clock.instant();
    if (!policy.settings().shadowMode() && policy.activeBlock(kind, value, now).isPresent()) {
      return;
    }
    Instant since = since(policy, kind, value, now.minus(limit.window()));
    long sends =
        kind == SendPolicy.Kind.PREFIX
            ? traffic.countByPrefix(SendTrafficStore.Kind.REQUESTED, value, since)
            : traffic.countByCountry(SendTrafficStore.Kind.REQUESTED, value, since);
    act(PumpingGuard.velocity(policy, kind, value, sends), policy, eventId, now);
  }

  private void conversion(SendPolicy policy, String country, String eventId) {
    SendPolicy.Settings s = policy.settings();
    if (!s.conversionBreakerOn()) {
      return;
    }
    Instant now = clock.instant();
    if (!s.shadowMode() && policy.activeBlock(SendPolicy.Kind.COUNTRY, country, now).isPresent()) {
      return;
    }
    Instant since =
        since(policy, SendPolicy.Kind.COUNTRY, country, now.minus(s.conversionWindow()));
    long sent = traffic.countByCountry(SendTrafficStore.Kind.DISPATCHED, country, since);
    if (sent < Math.max(1, s.conversionMinVolume())) {
      return;
    }
    long verified = traffic.countByCountry(SendTrafficStore.Kind.VERIFIED, country, since);
    act(PumpingGuard.conversion(policy, country, sent, verified), policy, eventId, now);
  }

  /** Traffic counts from the window's start or the operator's last lift, whichever is later. */
  private static Instant since(
      SendPolicy policy, SendPolicy.Kind kind, String value, Instant windowStart) {
    return policy
        .liftedAt(kind, value)
        .filter(lifted -> lifted.isAfter(windowStart))
        .orElse(windowStart);
  }

  private void act(
      Optional<PumpingGuard.Detection> found, SendPolicy seen, String eventId, Instant now) {
    if (found.isEmpty()) {
      return;
    }
    PumpingGuard.Detection d = found.get();
    if (seen.settings().shadowMode()) {
      log.warn(
          "pumping guard would block (shadow mode) kind={} value={} reason={} detail={}"
              + " eventId={}",
          d.kind(),
          d.value(),
          d.reason(),
          d.detail(),
          eventId);
      traffic.recordDetection(d, true, now);
      return;
    }
    SendPolicy policy =
        policies.change(
            p ->
                p.settings().shadowMode() || p.activeBlock(d.kind(), d.value(), now).isPresent()
                    ? p
                    : p.withBlock(d.kind(), d.block(p, now), SendPolicy.AUTOMATIC, now, eventId));
    boolean ours =
        policy
            .activeBlock(d.kind(), d.value(), now)
            .filter(b -> b.at().equals(now) && b.reason().equals(d.reason()))
            .isPresent();
    if (!ours) {
      return; // blocked meanwhile (another event or instance)
    }
    log.warn(
        "pumping guard blocked kind={} value={} reason={} detail={} version={} eventId={}",
        d.kind(),
        d.value(),
        d.reason(),
        d.detail(),
        policy.version(),
        eventId);
    traffic.recordDetection(d, false, now);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}

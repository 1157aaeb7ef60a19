package dev.signet.events;

import dev.signet.events.action.ActionDecided;
import dev.signet.events.action.ActionStateChanged;
import dev.signet.events.action.ActionTracked;
import dev.signet.events.audit.AuditActivity;
import dev.signet.events.authenticator.AuthenticatorEnrolled;
import dev.signet.events.authenticator.AuthenticatorRemoved;
import dev.signet.events.authenticator.AuthenticatorUpdated;
import dev.signet.events.challenge.ChallengeClaimed;
import dev.signet.events.challenge.ChallengeExpired;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.ChallengeSendRefused;
import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.events.challenge.ChallengeVerified;
import dev.signet.events.policy.SendPolicyUpdated;
import dev.signet.events.session.SessionCreated;
import dev.signet.events.session.SessionRefreshed;
import dev.signet.events.session.SessionReuseDetected;
import dev.signet.events.session.SessionRevoked;
import dev.signet.events.sms.SmsBlocked;
import dev.signet.events.sms.SmsDeliveryReported;
import dev.signet.events.sms.SmsDispatchFailed;
import dev.signet.events.sms.SmsDispatched;
import dev.signet.events.user.UserDeleted;
import dev.signet.events.user.UserUpdated;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The catalogue of Signet's Kafka topics: one event type per topic, declared once here so that
 * producers, consumers, topic creation and the documentation cannot disagree on a name.
 */
public final class Topics {

  /** Retention of event topics that are not compacted (see docs/events.md). */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** Suffix of dead-letter topics (named explicitly, never left to a library default). */
  public static final String DLT_SUFFIX = ".dlt";

  /**
   * One topic.
   *
   * @param name topic name, {@code auth.<context>.<event>.v<major>}
   * @param valueType the Avro class of every record value on the topic
   * @param key what the record key holds (the aggregate id), e.g. {@code challengeId}
   * @param compacted whether the topic is log-compacted (latest value per key kept forever)
   * @param retention how long records are kept; {@code null} for compacted topics (kept forever)
   * @param producer the service that writes the topic
   * @param consumers the services that read it
   */
  public record Topic(
      String name,
      Class<? extends SpecificRecord> valueType,
      String key,
      boolean compacted,
      Duration retention,
      String producer,
      List<String> consumers) {

    public Topic {
      consumers = List.copyOf(consumers);
    }

    /** The registry subject of the value schema under the default TopicNameStrategy. */
    public String valueSubject() {
      return name + "-value";
    }

    /** The Avro schema of the value type (the writer schema producers register). */
    public Schema valueSchema() {
      return SpecificData.get().getSchema(valueType);
    }

    /** The dead-letter topic for records of this topic that cannot be processed. */
    public String dlt() {
      return Topics.dlt(name);
    }

    /** Kafka topic configs ({@code cleanup.policy}, {@code retention.ms}) for creating it. */
    public Map<String, String> configs() {
      if (compacted) {
        return Map.of("cleanup.policy", "compact");
      }
      return Map.of(
          "cleanup.policy", "delete", "retention.ms", Long.toString(retention.toMillis()));
    }
  }

  private static final String CHALLENGE = "challenge-service";
  private static final String DISPATCHER = "sms-dispatcher";
  private static final String RULES = "rules-service";
  private static final String AUDIT = "audit-service";

  public static final Topic CHALLENGE_REQUESTED =
      challengeEvent(
          "auth.challenge.requested.v1", ChallengeRequested.class, DISPATCHER, RULES, AUDIT);
  public static final Topic CHALLENGE_VERIFIED =
      challengeEvent("auth.challenge.verified.v1", ChallengeVerified.class, RULES, AUDIT);
  public static final Topic CHALLENGE_VERIFICATION_FAILED =
      challengeEvent(
          "auth.challenge.verification-failed.v1", ChallengeVerificationFailed.class, RULES, AUDIT);
  public static final Topic CHALLENGE_CLAIMED =
      challengeEvent("auth.challenge.claimed.v1", ChallengeClaimed.class, AUDIT);
  public static final Topic CHALLENGE_EXPIRED =
      challengeEvent("auth.challenge.expired.v1", ChallengeExpired.class, RULES, AUDIT);

  /** Keyed by the challenge of a refused resend, else the user, else the event id. */
  public static final Topic CHALLENGE_SEND_REFUSED =
      events(
          "auth.challenge.send-refused.v1",
          ChallengeSendRefused.class,
          "challengeId|userId|eventId",
          CHALLENGE,
          AUDIT);

  public static final Topic ACTION_TRACKED =
      userEvent("auth.action.tracked.v1", ActionTracked.class, CHALLENGE, RULES, AUDIT);
  public static final Topic ACTION_DECIDED =
      userEvent("auth.action.decided.v1", ActionDecided.class, RULES, CHALLENGE, AUDIT);
  public static final Topic ACTION_STATE_CHANGED =
      userEvent("auth.action.state-changed.v1", ActionStateChanged.class, CHALLENGE, RULES, AUDIT);
  public static final Topic AUTHENTICATOR_ENROLLED =
      userEvent(
          "auth.authenticator.enrolled.v1", AuthenticatorEnrolled.class, CHALLENGE, RULES, AUDIT);
  public static final Topic AUTHENTICATOR_UPDATED =
      userEvent(
          "auth.authenticator.updated.v1", AuthenticatorUpdated.class, CHALLENGE, RULES, AUDIT);
  public static final Topic AUTHENTICATOR_REMOVED =
      userEvent(
          "auth.authenticator.removed.v1", AuthenticatorRemoved.class, CHALLENGE, RULES, AUDIT);
  public static final Topic USER_UPDATED =
      userEvent("auth.user.updated.v1", UserUpdated.class, CHALLENGE, RULES, AUDIT);
  public static final Topic USER_DELETED =
      userEvent("auth.user.deleted.v1", UserDeleted.class, CHALLENGE, RULES, AUDIT);
  public static final Topic SESSION_CREATED =
      userEvent("auth.session.created.v1", SessionCreated.class, CHALLENGE, AUDIT);
  public static final Topic SESSION_REFRESHED =
      userEvent("auth.session.refreshed.v1", SessionRefreshed.class, CHALLENGE, AUDIT);
  public static final Topic SESSION_REVOKED =
      userEvent("auth.session.revoked.v1", SessionRevoked.class, CHALLENGE, AUDIT);
  public static final Topic SESSION_REUSE_DETECTED =
      userEvent("auth.session.reuse-detected.v1", SessionReuseDetected.class, CHALLENGE, AUDIT);
  public static final Topic SMS_DISPATCHED =
      smsEvent("auth.sms.dispatched.v1", SmsDispatched.class, RULES, AUDIT);
  public static final Topic SMS_DISPATCH_FAILED =
      smsEvent("auth.sms.dispatch-failed.v1", SmsDispatchFailed.class, RULES, AUDIT);
  public static final Topic SMS_DELIVERY_REPORTED =
      smsEvent("auth.sms.delivery-reported.v1", SmsDeliveryReported.class, RULES, AUDIT);
  public static final Topic SMS_BLOCKED =
      smsEvent("auth.sms.blocked.v1", SmsBlocked.class, RULES, AUDIT);

  public static final Topic SEND_POLICY =
      new Topic(
          "auth.policy.send-policy.v1",
          SendPolicyUpdated.class,
          "policyId",
          true,
          null,
          RULES,
          List.of(CHALLENGE, DISPATCHER, AUDIT));

  public static final Topic AUDIT_ACTIVITY =
      new Topic(
          "auth.audit.activity.v1",
          AuditActivity.class,
          "userId, else challengeId, else policyId",
          false,
          Duration.ofDays(30),
          AUDIT,
          // audit-service's webhooks read it with a consumer group of their own.
          List.of(AUDIT));

  private static final List<Topic> ALL =
      List.of(
          CHALLENGE_REQUESTED,
          CHALLENGE_VERIFIED,
          CHALLENGE_VERIFICATION_FAILED,
          CHALLENGE_CLAIMED,
          CHALLENGE_EXPIRED,
          CHALLENGE_SEND_REFUSED,
          ACTION_TRACKED,
          ACTION_DECIDED,
          ACTION_STATE_CHANGED,
          AUTHENTICATOR_ENROLLED,
          AUTHENTICATOR_UPDATED,
          AUTHENTICATOR_REMOVED,
          USER_UPDATED,
          USER_DELETED,
          SESSION_CREATED,
          SESSION_REFRESHED,
          SESSION_REVOKED,
          SESSION_REUSE_DETECTED,
          SMS_DISPATCHED,
          SMS_DISPATCH_FAILED,
          SMS_DELIVERY_REPORTED,
          SMS_BLOCKED,
          SEND_POLICY,
          AUDIT_ACTIVITY);

  private static final Map<String, Topic> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Topic::name, Function.identity()));

  private Topics() {}

  /** Every topic, in catalogue order. */
  public static List<Topic> all() {
    return ALL;
  }

  /** The topic with this name, if it is in the catalogue. */
  public static Optional<Topic> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The topics {@code service} writes, in catalogue order: the ones it creates at start-up. */
  public static List<Topic> producedBy(String service) {
    return ALL.stream().filter(t -> t.producer().equals(service)).toList();
  }

  /** The topic whose records have this value type, if any. */
  public static Optional<Topic> byValueType(Class<?> valueType) {
    return ALL.stream().filter(t -> t.valueType().equals(valueType)).findFirst();
  }

  /** The dead-letter topic of a topic: {@code <topic>.dlt}. */
  public static String dlt(String topic) {
    return topic + DLT_SUFFIX;
  }

  /** An event of a challenge, written by challenge-service and keyed by the challenge id. */
  private static Topic challengeEvent(
      String name, Class<? extends SpecificRecord> valueType, String... consumers) {
    return events(name, valueType, "challengeId", CHALLENGE, consumers);
  }

  /** An event of a send attempt, written by sms-dispatcher and keyed by the challenge id. */
  private static Topic smsEvent(
      String name, Class<? extends SpecificRecord> valueType, String... consumers) {
    return events(name, valueType, "challengeId", DISPATCHER, consumers);
  }

  /** An event of a user (actions, authenticators, the user, sessions), keyed by the user id. */
  private static Topic userEvent(
      String name,
      Class<? extends SpecificRecord> valueType,
      String producer,
      String... consumers) {
    return events(name, valueType, "userId", producer, consumers);
  }

  private static Topic events(
      String name,
      Class<? extends SpecificRecord> valueType,
      String key,
      String producer,
      String... consumers) {
    return new Topic(name, valueType, key, false, DEFAULT_RETENTION, producer, List.of(consumers));
  }
}

package dev.signet.audit.ingest;

import dev.signet.audit.activity.Activity;
import dev.signet.audit.activity.PhoneHasher;

/**
 * Maps every Signet event to one {@link Activity}: the only place that reads Avro types, one family
 * of events per class. What is dropped on purpose: the sealed code and its key id, the clear phone
 * number (kept only as a keyed hash), reply topics, custom data and risk signal values (they may
 * hold personal data).
 */
final class EventNormaliser {

  private final ChallengeActivities challenges;
  private final ActionActivities actions = new ActionActivities();
  private final AccountActivities accounts = new AccountActivities();
  private final SmsActivities sms = new SmsActivities();

  EventNormaliser(PhoneHasher phones) {
    this.challenges = new ChallengeActivities(phones);
  }

  /** The activity of one decoded event that came with no trace. */
  Activity normalise(String topic, Object event, String fallbackEventId) {
    return normalise(topic, event, fallbackEventId, null);
  }

  /**
   * The activity of one decoded event. {@code fallbackEventId} stands in for an empty event id (the
   * topic, partition and offset), so that even such an event gets a stable activity id; {@code
   * traceId} is the trace the event was published in (it travels in the record's headers, not in
   * the event), or null.
   */
  Activity normalise(String topic, Object event, String fallbackEventId, String traceId) {
    ActivityBuilder activity = challenges.normalise(topic, event, fallbackEventId);
    if (activity == null) {
      activity = actions.normalise(topic, event, fallbackEventId);
    }
    if (activity == null) {
      activity = accounts.normalise(topic, event, fallbackEventId);
    }
    if (activity == null) {
      activity = sms.normalise(topic, event, fallbackEventId);
    }
    if (activity == null) {
      throw new IllegalArgumentException(
          "no activity mapping for " + event.getClass().getName() + " on " + topic);
    }
    return activity.trace(traceId).build();
  }
}

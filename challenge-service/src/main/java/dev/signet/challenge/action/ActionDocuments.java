package dev.signet.challenge.action;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * The {@code actions} documents: field names and the mapping to {@link Action}. One document per
 * action, {@code _id = userId:actionCode:idempotencyKey}; its pending events live in its {@code
 * outbox} array. Claimed sign-in challenges ({@link ActionStore}) write the same shape with fewer
 * fields.
 */
final class ActionDocuments {

  static final String ID = "_id";
  static final String USER_ID = "userId";
  static final String ACTION_CODE = "actionCode";
  static final String IDEMPOTENCY_KEY = "idempotencyKey";
  static final String STATE = "state";
  static final String CREATED_AT = "createdAt";
  static final String UPDATED_AT = "updatedAt";
  static final String STATE_UPDATED_AT = "stateUpdatedAt";
  static final String VERIFICATION_METHOD = "verificationMethod";
  static final String RULES = "rules";
  static final String IP_ADDRESS = "ipAddress";
  static final String USER_AGENT = "userAgent";
  static final String DEVICE_ID = "deviceId";
  static final String SCOPE = "scope";
  static final String IS_ENROLLED = "isEnrolled";
  static final String DECISION_DEADLINE = "decisionDeadline";
  static final String REQUEST_EVENT_ID = "requestEventId";
  static final String LATE_DECISION = "lateDecision";
  static final String OUTPUT = "output";
  static final String VERIFIED_BY_AUTHENTICATOR_ID = "verifiedByAuthenticatorId";

  /** Stored state of an action whose decision is awaited; never reported by the API. */
  static final String DECIDING = "DECIDING";

  private ActionDocuments() {}

  static Action read(Document doc) {
    String state = doc.getString(STATE);
    return new Action(
        doc.getString(USER_ID),
        doc.getString(ACTION_CODE),
        doc.getString(IDEMPOTENCY_KEY),
        state == null || DECIDING.equals(state) ? null : ActionState.parse(state).orElse(null),
        instant(doc.get(CREATED_AT)),
        instant(doc.get(UPDATED_AT)),
        instant(doc.get(STATE_UPDATED_AT)),
        doc.getString(VERIFICATION_METHOD),
        rules(doc.get(RULES)),
        doc.getString(IP_ADDRESS),
        doc.getString(USER_AGENT),
        doc.getString(DEVICE_ID),
        doc.getString(SCOPE),
        Boolean.TRUE.equals(doc.get(IS_ENROLLED)),
        output(doc.get(OUTPUT)),
        doc.getString(VERIFIED_BY_AUTHENTICATOR_ID));
  }

  static Document output(ActionOutput output) {
    return new Document("state", output.state().name())
        .append("decision", output.decision())
        .append("decidedBy", output.decidedBy());
  }

  private static ActionOutput output(Object raw) {
    if (!(raw instanceof Document doc)) {
      return null;
    }
    ActionState state = ActionState.parse(doc.getString("state")).orElse(null);
    return state == null
        ? null
        : new ActionOutput(state, doc.getString("decision"), doc.getString("decidedBy"));
  }

  static List<Document> rules(List<ActionRule> rules) {
    List<Document> out = new ArrayList<>();
    for (ActionRule rule : rules) {
      out.add(
          new Document("ruleId", rule.ruleId())
              .append("name", rule.name())
              .append("description", rule.description()));
    }
    return out;
  }

  static Instant instant(Object value) {
    if (value instanceof Date date) {
      return date.toInstant();
    }
    if (value instanceof Instant instant) {
      return instant;
    }
    return null;
  }

  private static List<ActionRule> rules(Object raw) {
    if (!(raw instanceof List<?> list)) {
      return List.of();
    }
    List<ActionRule> out = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof Document rule) {
        out.add(
            new ActionRule(
                rule.getString("ruleId"), rule.getString("name"), rule.getString("description")));
      }
    }
    return out;
  }
}

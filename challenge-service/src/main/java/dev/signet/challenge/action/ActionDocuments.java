package dev.signet.challenge.action;

import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * The {@code actions} documents: field names and the mapping to {@link Action}. One document per
 * action, {@code _id = userId:actionCode:idempotencyKey}; its pending events live in its {@code
 * outbox} array. Claimed sign-in challenges write the same shape with fewer fields.
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
  static final String OUTBOX = Outbox.FIELD;
  static final String VERIFIED_BY_AUTHENTICATOR_ID = "verifiedByAuthenticatorId";

  /**
   * The hosted page's part of an action document: {@code redirectUrl} (checked at track) and {@code
   * openedAt} (set once, when the page was first opened for the action attempt).
   */
  static final String UI = "ui";

  static final String UI_REDIRECT_URL = "redirectUrl";
  static final String UI_OPENED_AT = "openedAt";

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
        doc.getString(VERIFIED_BY_AUTHENTICATOR_ID),
        decisionRequest(doc),
        page(doc.get(UI)));
  }

  /** A new tracked action awaiting its decision, with its decision request in its outbox. */
  static Document deciding(Action action, OutboxEvent request) {
    Date now = Date.from(action.createdAt());
    Document document = new Document(ID, action.id());
    if (action.page().redirectUrl() != null) {
      // Where the hosted page returns in redirect mode: taken from here, never from the page's URL.
      document.append(UI, new Document(UI_REDIRECT_URL, action.page().redirectUrl()));
    }
    return document
        .append(USER_ID, action.userId())
        .append(ACTION_CODE, action.actionCode())
        .append(IDEMPOTENCY_KEY, action.idempotencyKey())
        .append(STATE, DECIDING)
        .append(CREATED_AT, now)
        .append(UPDATED_AT, now)
        .append(STATE_UPDATED_AT, now)
        .append(IP_ADDRESS, action.ipAddress())
        .append(USER_AGENT, action.userAgent())
        .append(DEVICE_ID, action.deviceId())
        .append(SCOPE, action.scope())
        .append(IS_ENROLLED, action.isEnrolled())
        .append(RULES, List.of())
        .append(DECISION_DEADLINE, Date.from(action.decision().deadline()))
        .append(REQUEST_EVENT_ID, action.decision().eventId())
        .append(OUTBOX, List.of(request.toDocument()));
  }

  /** The stored name of a state; {@code null} (awaiting the decision) is {@link #DECIDING}. */
  static String stateName(ActionState state) {
    return state == null ? DECIDING : state.name();
  }

  private static Action.DecisionRequest decisionRequest(Document doc) {
    String eventId = doc.getString(REQUEST_EVENT_ID);
    Instant deadline = instant(doc.get(DECISION_DEADLINE));
    return eventId == null && deadline == null
        ? null
        : new Action.DecisionRequest(eventId, deadline);
  }

  private static Action.HostedPageVisit page(Object raw) {
    return raw instanceof Document ui
        ? new Action.HostedPageVisit(ui.getString(UI_REDIRECT_URL), instant(ui.get(UI_OPENED_AT)))
        : null;
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

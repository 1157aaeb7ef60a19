package dev.signet.sms.dispatch;

import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.SendRequest;
import dev.signet.sms.routing.Route;
import dev.signet.sms.routing.RouteKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.types.Binary;

/**
 * What a fallback send of an attempt needs, kept in the attempt's document ({@code resend}) from
 * its claim until it settles: the code exactly as challenge-service sealed it (opened again only
 * for the send, with the same binding, so a changed document does not open), the number sealed for
 * this attempt, and the attempt's routes. Removed once the attempt is delivered, out of fallbacks
 * or expired.
 */
record Resend(
    String eventId,
    String sealKeyId,
    int sealVersion,
    byte[] sealedCode,
    byte[] sealedNumber,
    String requestedChannel,
    Instant expiresAt,
    String locale,
    List<Route> plan) {

  static final String FIELD = "resend";

  /** The resend data of a request: its code as it came, its number sealed for its attempt. */
  static Resend sealed(SendRequest request, CodeOpener opener, List<Route> plan) {
    return of(
        request,
        opener.sealNumber(request.sealKeyId(), request.attemptId(), request.phoneNumber()),
        plan);
  }

  static Resend of(SendRequest request, byte[] sealedNumber, List<Route> plan) {
    return new Resend(
        request.eventId(),
        request.sealKeyId(),
        request.sealVersion(),
        request.sealedCode(),
        sealedNumber,
        request.requestedChannel(),
        request.expiresAt(),
        request.locale(),
        plan);
  }

  Document toDocument() {
    List<Document> routes = new ArrayList<>();
    for (Route route : plan) {
      routes.add(new Document("kind", route.kind().name()).append("sender", route.sender()));
    }
    return new Document("eventId", eventId)
        .append("sealKeyId", sealKeyId)
        .append("sealVersion", sealVersion)
        .append("sealedCode", new Binary(sealedCode))
        .append("sealedNumber", new Binary(sealedNumber))
        .append("requestedChannel", requestedChannel)
        .append("expiresAt", Date.from(expiresAt))
        .append("locale", locale)
        .append("plan", routes);
  }

  static Resend from(Document doc) {
    List<Route> plan = new ArrayList<>();
    for (Document route : doc.getList("plan", Document.class, List.of())) {
      plan.add(new Route(RouteKind.valueOf(route.getString("kind")), route.getString("sender"), 0));
    }
    return new Resend(
        doc.getString("eventId"),
        doc.getString("sealKeyId"),
        doc.getInteger("sealVersion", 0),
        doc.get("sealedCode", Binary.class).getData(),
        doc.get("sealedNumber", Binary.class).getData(),
        doc.getString("requestedChannel"),
        doc.getDate("expiresAt").toInstant(),
        doc.getString("locale"),
        List.copyOf(plan));
  }

  /** The attempt's send request again, with its number opened. */
  SendRequest request(AttemptFacts facts, String phoneNumber) {
    return new SendRequest(
        eventId,
        facts.correlationId(),
        facts.challengeId(),
        facts.attempt(),
        phoneNumber,
        facts.phoneNumberMasked(),
        facts.countryCode(),
        facts.channel(),
        facts.action(),
        facts.userId(),
        locale,
        facts.requestedAt(),
        expiresAt,
        sealKeyId,
        sealedCode,
        false,
        sealVersion,
        requestedChannel);
  }

  /**
   * The routes of a fallback after {@code lastRoute}: the next one of the plan first, then the rest
   * in order, wrapping around, so with a single route the fallback goes through it again.
   */
  List<Route> after(String lastRoute) {
    int last = 0;
    for (int i = 0; i < plan.size(); i++) {
      if (plan.get(i).id().equals(lastRoute)) {
        last = i;
      }
    }
    List<Route> order = new ArrayList<>(plan.size());
    for (int i = 1; i <= plan.size(); i++) {
      order.add(plan.get((last + i) % plan.size()));
    }
    return order;
  }
}

package dev.signet.sms.dispatch;

import dev.signet.sms.domain.AttemptFacts;
import dev.signet.sms.domain.Channel;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Finds the send attempt a delivery receipt is about, by the provider's message id or by the client
 * reference the message carried (the attempt id), in the documents {@link SendAttempts} keeps. Read
 * only.
 */
@Component
public class KnownAttempts {

  /** An attempt's {route, messageIds} per send, recorded from its first fallback on. */
  static final String MESSAGE_ROUTES = "messageRoutes";

  private final ReactiveMongoTemplate mongo;

  KnownAttempts(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  /**
   * What is known of a sent attempt, for delivery receipts.
   *
   * @param dispatchedAt when the provider accepted the message; null while the outcome is not
   *     recorded yet
   */
  public record KnownAttempt(
      String challengeId,
      int attempt,
      String correlationId,
      String userId,
      Channel channel,
      String phoneNumberMasked,
      String countryCode,
      Instant dispatchedAt,
      String route) {}

  /**
   * The attempt a provider message id belongs to, else the attempt its client reference names (the
   * receipt may arrive before the outcome is recorded); empty when neither is known.
   */
  public Mono<KnownAttempt> lookup(String messageId, String clientRef) {
    return findByMessageOrReference(messageId, clientRef)
        .map(
            doc -> {
              AttemptFacts facts = AttemptDocuments.facts(doc);
              Date dispatchedAt = doc.getDate("dispatchedAt");
              return new KnownAttempt(
                  facts.challengeId(),
                  facts.attempt(),
                  facts.correlationId(),
                  facts.userId(),
                  facts.channel(),
                  facts.phoneNumberMasked(),
                  facts.countryCode(),
                  dispatchedAt == null ? null : dispatchedAt.toInstant(),
                  routeOf(doc, messageId));
            });
  }

  /**
   * The route that sent {@code messageId}: after a fallback an attempt has sent on more than one
   * route, and its {@code route} names the last one; before, that is the only one.
   */
  static String routeOf(Document doc, String messageId) {
    for (Document sent : doc.getList(MESSAGE_ROUTES, Document.class, List.of())) {
      if (sent.getList("messageIds", String.class, List.of()).contains(messageId)) {
        return sent.getString("route");
      }
    }
    return doc.getString("route");
  }

  /** The attempt a provider message id belongs to, or the attempt named by a client reference. */
  Mono<Document> findByMessageOrReference(String messageId, String clientRef) {
    Mono<Document> byReference =
        clientRef == null || clientRef.isBlank()
            ? Mono.empty()
            : mongo.findById(clientRef, Document.class, SendAttempts.COLLECTION);
    Mono<Document> byMessage =
        messageId == null || messageId.isBlank()
            ? Mono.empty()
            : mongo.findOne(
                Query.query(Criteria.where("providerMessageIds").is(messageId)),
                Document.class,
                SendAttempts.COLLECTION);
    return byMessage.switchIfEmpty(byReference);
  }
}

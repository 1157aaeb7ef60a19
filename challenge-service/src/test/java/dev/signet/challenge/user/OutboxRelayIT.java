package dev.signet.challenge.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.events.Topics;
import dev.signet.events.user.UserDeleted;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.bson.types.Binary;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/**
 * No dual writes, crash case: a document whose change was committed with its event, but whose
 * publish never happened (the process died between the two), is found by the relay, published once,
 * and its outbox emptied.
 */
class OutboxRelayIT extends UserItSupport {

  @Autowired ReactiveMongoTemplate mongo;
  @Autowired Outbox outbox;

  @Test
  void theRelayPublishesEventsACrashLeftBehind() {
    String userId = newUserId();
    UserDeleted deleted =
        UserDeleted.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setOccurredAt(Instant.now())
            .setCorrelationId("crash-test")
            .setUserId(userId)
            .setRemovedAuthenticatorIds(List.of())
            .build();
    OutboxEvent event =
        outbox.wrap(deleted.getEventId(), Topics.USER_DELETED.name(), userId, deleted);
    // What a crashed request leaves: the state change and its event, written, never published.
    Document orphan =
        new Document("_id", userId)
            .append("deleted", true)
            .append(
                Outbox.FIELD,
                List.of(
                    new Document("eventId", event.eventId())
                        .append("topic", event.topic())
                        .append("key", event.key())
                        .append("type", event.type())
                        .append("payload", new Binary(event.payload()))
                        .append("createdAt", Date.from(Instant.now().minusSeconds(30)))));
    mongo.insert(orphan, "users").block(Duration.ofSeconds(10));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(events().of(Topics.USER_DELETED.name(), userId, UserDeleted.class))
                    .extracting(UserDeleted::getEventId)
                    .containsExactly(deleted.getEventId()));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        mongo
                            .findById(userId, Document.class, "users")
                            .block(Duration.ofSeconds(5))
                            .getList(Outbox.FIELD, Document.class))
                    .isEmpty());
  }

  /**
   * Every collection the relay scans has its indexes before the relay, the listeners and the API
   * start: the embedded MongoDB-wire server fails a query that runs while an index of its
   * collection is being created, which greeted a first start with an error.
   */
  @Test
  void everyRelayedCollectionHasItsIndexesBeforeAnythingStarts() {
    assertThat(IndexesAtStart.KEYS).containsKeys("users", "actions", "challenges", "sessions");
    IndexesAtStart.KEYS.forEach(
        (collection, keys) ->
            assertThat(keys).as(collection).contains(Outbox.FIELD + ".createdAt"));
    assertThat(IndexesAtStart.KEYS.get("users")).contains("phoneNumber", "email", "username");
    assertThat(IndexesAtStart.KEYS.get("actions")).contains("userId,createdAt");
  }
}

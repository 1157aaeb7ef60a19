package dev.signet.challenge.challenge;

import dev.signet.platform.outbox.Outbox;
import dev.signet.testsupport.InMemoryMongo;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The MongoDB store passes the store contract against the MongoDB-wire server with the real driver:
 * its conditional writes and the send slots' unique index hold the rules under concurrency.
 */
class MongoChallengeStoreIT extends ChallengeStoreContract {

  @RegisterExtension static final InMemoryMongo MONGO = new InMemoryMongo();
  private ReactiveMongoTemplate mongo;

  @Override
  protected ChallengeStore newStore() {
    mongo = new ReactiveMongoTemplate(MONGO.client(), "store-it-" + UUID.randomUUID());
    return new MongoChallengeStore(mongo);
  }

  @Override
  protected void eventsPublished(String challengeId) {
    mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(challengeId)),
            new Update().set(Outbox.FIELD, java.util.List.of()),
            ChallengeStore.COLLECTION)
        .block(Duration.ofSeconds(10));
  }
}

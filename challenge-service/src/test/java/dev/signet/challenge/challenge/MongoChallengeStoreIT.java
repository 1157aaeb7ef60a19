package dev.signet.challenge.challenge;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import dev.signet.platform.outbox.Outbox;
import dev.signet.testsupport.TestStack;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The MongoDB store passes the store contract against the MongoDB-wire server with the real driver:
 * its conditional writes and the send slots' unique index hold the rules under concurrency.
 */
class MongoChallengeStoreIT extends ChallengeStoreContract {

  private static MongoServer server;
  private static MongoClient client;
  private ReactiveMongoTemplate mongo;

  @BeforeAll
  static void start() {
    server = TestStack.startMongo();
    client = MongoClients.create(TestStack.mongoUri(server, "store-it"));
  }

  @AfterAll
  static void stop() {
    client.close();
    server.shutdownNow();
  }

  @Override
  protected ChallengeStore newStore() {
    mongo = new ReactiveMongoTemplate(client, "store-it-" + UUID.randomUUID());
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

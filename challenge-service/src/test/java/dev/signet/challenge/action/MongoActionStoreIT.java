package dev.signet.challenge.action;

import dev.signet.testsupport.InMemoryMongo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/** The MongoDB store passes the store contract, against the MongoDB-wire server. */
class MongoActionStoreIT extends ActionStoreContract {

  @RegisterExtension static final InMemoryMongo MONGO = new InMemoryMongo();

  @Override
  ActionStore newStore() {
    return new MongoActionStore(
        new ReactiveMongoTemplate(MONGO.client(), "signet-action-store-it"), CLOCK);
  }
}

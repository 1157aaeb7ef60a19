package dev.signet.challenge.action;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/** The MongoDB store passes the store contract, against the MongoDB-wire server. */
class MongoActionStoreIT extends ActionStoreContract {

  private static MongoServer server;
  private static MongoClient client;

  @BeforeAll
  static void start() {
    server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    InetSocketAddress address = server.getLocalAddress();
    client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.shutdownNow();
  }

  @Override
  ActionStore newStore() {
    return new MongoActionStore(new ReactiveMongoTemplate(client, "signet-action-store-it"), CLOCK);
  }
}

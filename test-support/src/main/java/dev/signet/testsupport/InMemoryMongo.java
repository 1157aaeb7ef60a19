package dev.signet.testsupport;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-memory MongoDB-wire server on a free loopback port for one test class, with the real
 * drivers connected to it, for tests that need a store but no Spring context. Register it as a
 * static field and it starts before the class's {@code @BeforeAll} methods and stops after the last
 * test:
 *
 * <pre>{@code
 * @RegisterExtension static final InMemoryMongo MONGO = new InMemoryMongo();
 * }</pre>
 */
public final class InMemoryMongo implements BeforeAllCallback, AfterAllCallback {

  private MongoServer server;
  private MongoClient client;
  private com.mongodb.client.MongoClient blockingClient;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = TestStack.startMongo();
    client = MongoClients.create(uri());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    client.close();
    if (blockingClient != null) {
      blockingClient.close();
    }
    server.shutdownNow();
  }

  /** The server's address, without a database. */
  public String uri() {
    return "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
  }

  /** The reactive driver's client. */
  public MongoClient client() {
    return client;
  }

  /** The blocking driver's client (opened on first use: not every service has that driver). */
  public synchronized com.mongodb.client.MongoClient blockingClient() {
    if (blockingClient == null) {
      blockingClient = com.mongodb.client.MongoClients.create(uri());
    }
    return blockingClient;
  }
}

package dev.signet.localstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import dev.signet.localstack.mongo.IndexedH2Backend;
import dev.signet.localstack.mongo.IndexedMemoryBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB-wire server of the local stack (mongo-java-server) as its own process. By default it
 * stores everything in one H2 MVStore file so that data survives restarts; {@code --in-memory}
 * keeps it in memory. Both backends are mongo-java-server's with wider index use: a query narrows
 * by any index whose fields it matches by value, and non-unique indexes are kept (see {@code
 * dev.signet.localstack.mongo}).
 *
 * <p>Usage: {@code MongoWireServer --port 27017 (--file <path.mv> | --in-memory) [--bind
 * 127.0.0.1]}
 */
public final class MongoWireServer {

  private static final Logger log = LoggerFactory.getLogger(MongoWireServer.class);

  private MongoWireServer() {}

  public static void main(String[] args) throws Exception {
    int port = 27017;
    String bind = "127.0.0.1";
    Path file = null;
    boolean inMemory = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--bind" -> bind = args[++i];
        case "--file" -> file = Path.of(args[++i]);
        case "--in-memory" -> inMemory = true;
        default -> throw new IllegalArgumentException("Unknown option: " + args[i]);
      }
    }
    if (inMemory == (file != null)) {
      throw new IllegalArgumentException("Give exactly one of --file <path> and --in-memory");
    }
    MongoBackend backend;
    if (inMemory) {
      backend = new IndexedMemoryBackend();
    } else {
      Files.createDirectories(file.toAbsolutePath().getParent());
      backend = new IndexedH2Backend(file.toAbsolutePath().toString());
    }
    MongoServer server = new MongoServer(backend);
    server.bind(bind, port);
    log.info(
        "MongoDB-wire server listening on {}:{} ({})",
        bind,
        port,
        inMemory ? "in memory" : "H2 store " + file.toAbsolutePath());

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // shutdown() closes the backend, which commits and closes the H2 store.
                  server.shutdown();
                  log.info("MongoDB-wire server stopped");
                  stopped.countDown();
                },
                "mongo-shutdown"));
    stopped.await();
  }
}

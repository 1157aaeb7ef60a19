package dev.signet.challenge.user;

import dev.signet.platform.outbox.OutboxSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.IndexInfo;

/**
 * What the store's indexes are when the first component of the context starts (before the outbox
 * relay, the Kafka listeners and the web server): the index keys of every collection the outbox
 * relays, by collection.
 */
class IndexesAtStart implements SmartLifecycle {

  static final Map<String, List<String>> KEYS = new ConcurrentHashMap<>();

  private final ReactiveMongoTemplate mongo;
  private final OutboxSettings outbox;
  private volatile boolean running;

  IndexesAtStart(ReactiveMongoTemplate mongo, OutboxSettings outbox) {
    this.mongo = mongo;
    this.outbox = outbox;
  }

  @Override
  public void start() {
    for (String collection : outbox.collections()) {
      KEYS.put(
          collection,
          mongo
              .indexOps(collection)
              .getIndexInfo()
              .map(IndexesAtStart::keys)
              .collectList()
              .block(Duration.ofSeconds(10)));
    }
    running = true;
  }

  private static String keys(IndexInfo index) {
    return String.join(",", index.getIndexFields().stream().map(field -> field.getKey()).toList());
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MIN_VALUE;
  }
}

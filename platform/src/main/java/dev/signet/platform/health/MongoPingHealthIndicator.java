package dev.signet.platform.health;

import org.bson.Document;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;

/**
 * Health of the MongoDB connection by {@code ping}. Replaces Boot's indicator, which runs {@code
 * hello} and so reports DOWN against the embedded MongoDB-wire server although it works.
 */
public final class MongoPingHealthIndicator implements ReactiveHealthIndicator {

  private final ReactiveMongoTemplate mongo;

  public MongoPingHealthIndicator(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  @Override
  public Mono<Health> health() {
    return mongo
        .executeCommand(new Document("ping", 1))
        .map(reply -> Health.up().build())
        .onErrorResume(
            e ->
                Mono.just(Health.down().withDetail("error", e.getClass().getSimpleName()).build()));
  }
}

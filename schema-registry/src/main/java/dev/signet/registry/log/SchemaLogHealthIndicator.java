package dev.signet.registry.log;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** UP only once the registry has read the whole schema log, so no request sees a partial state. */
public final class SchemaLogHealthIndicator implements HealthIndicator {

  private final KafkaSchemaLog schemaLog;

  public SchemaLogHealthIndicator(KafkaSchemaLog schemaLog) {
    this.schemaLog = schemaLog;
  }

  @Override
  public Health health() {
    if (schemaLog.failure() != null) {
      return Health.down().withDetail("reason", schemaLog.failure()).build();
    }
    if (!schemaLog.isCaughtUp()) {
      return Health.outOfService().withDetail("reason", "reading " + schemaLog.topic()).build();
    }
    return Health.up().withDetail("topic", schemaLog.topic()).build();
  }
}

package dev.signet.audit.webhook;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import dev.signet.audit.webhook.DeliveryStore.State;
import dev.signet.audit.webhook.EndpointStore.Endpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Where the audit topic's listener queues deliveries: a blocking store, called on the listener
 * thread, that returns once MongoDB has acknowledged, so the offsets are committed only afterwards.
 * A delivery is created by an upsert on its natural key (endpoint × event id), so a redelivered
 * Kafka record finds it and adds nothing.
 */
public class DeliveryQueue {

  private final MongoDatabase database;

  public DeliveryQueue(MongoDatabase database) {
    this.database = database;
  }

  /** A new delivery to create unless it exists. */
  public record NewDelivery(
      String id,
      String endpointId,
      String eventId,
      String eventType,
      String payload,
      State state,
      String lastError) {}

  /** The endpoints that receive events now. */
  public List<Endpoint> enabledEndpoints() {
    List<Endpoint> out = new ArrayList<>();
    for (Document d : database.getCollection(EndpointStore.ENDPOINTS).find(EndpointStore.ENABLED)) {
      out.add(Endpoint.of(d));
    }
    return out;
  }

  /**
   * Creates the deliveries that do not exist yet ({@code $setOnInsert} upserts on the natural key)
   * and answers how many were new.
   */
  public int enqueue(List<NewDelivery> deliveries, Instant now) {
    if (deliveries.isEmpty()) {
      return 0;
    }
    List<WriteModel<Document>> writes = new ArrayList<>(deliveries.size());
    for (NewDelivery d : deliveries) {
      Document insert =
          new Document("endpointId", d.endpointId())
              .append("eventId", d.eventId())
              .append("eventType", d.eventType())
              .append("payload", d.payload())
              .append("state", d.state().name())
              .append("attempts", 0)
              .append("windowAttempts", 0)
              .append("createdAt", Date.from(now))
              .append("windowStart", Date.from(now))
              .append("nextAttemptAt", Date.from(now))
              .append("lastError", d.lastError());
      writes.add(
          new UpdateOneModel<>(
              Filters.eq("_id", d.id()),
              new Document("$setOnInsert", insert),
              new UpdateOptions().upsert(true)));
    }
    return database
        .getCollection(DeliveryStore.DELIVERIES)
        .bulkWrite(writes, new BulkWriteOptions().ordered(false))
        .getUpserts()
        .size();
  }
}

package dev.signet.platform.outbox;

import java.time.Duration;
import java.util.List;

/**
 * How one service runs its outbox.
 *
 * @param collections the collections whose documents carry an {@link Outbox#FIELD} array
 * @param relayInterval pause between two relay passes
 * @param relayGrace how old an unpublished event must be before the relay takes it over; well above
 *     {@code ackInterval}, so the relay never republishes what the request path published
 * @param ackInterval how often the removals of published events are written, as one bulk write per
 *     collection
 * @param relayBatch at most this many documents per collection and relay pass
 */
public record OutboxSettings(
    List<String> collections,
    Duration relayInterval,
    Duration relayGrace,
    Duration ackInterval,
    int relayBatch) {

  public OutboxSettings {
    collections = List.copyOf(collections);
    if (relayInterval.isNegative()
        || relayInterval.isZero()
        || ackInterval.isNegative()
        || ackInterval.isZero()) {
      throw new IllegalArgumentException("outbox intervals must be positive");
    }
    if (relayGrace.compareTo(ackInterval) <= 0) {
      throw new IllegalArgumentException(
          "outbox relay grace " + relayGrace + " must exceed the ack interval " + ackInterval);
    }
    if (relayBatch < 1) {
      throw new IllegalArgumentException("outbox relay batch must be at least 1");
    }
  }
}

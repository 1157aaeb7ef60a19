package dev.signet.platform.kafka;

import dev.signet.platform.mongo.StoreUnavailable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Where a listener's failed records go: to the dead-letter topic named explicitly for their topic
 * (never a library default, whose suffix changed across spring-kafka versions). A poison pill that
 * could not be deserialised keeps its original bytes; any other record is written back with the
 * service's own serialisers.
 */
public final class DeadLetters {

  /** How long a failing record is retried before it goes to its dead-letter topic. */
  public static final Duration RETRY_FOR = Duration.ofSeconds(10);

  private DeadLetters() {}

  /**
   * A listener error handler: poison pills (records that cannot be deserialised) go to the
   * dead-letter topic at once with their original bytes; other failures (MongoDB or the broker
   * briefly away) after retries with exponential back-off, from {@code firstRetry} and doubling,
   * for {@link #RETRY_FOR}; a record that failed because MongoDB is unreachable is retried until it
   * is back ({@link #retryWhileStoreUnavailable}). The consumer keeps running either way. A service
   * adds the failures of its own that no retry can cure ({@code addNotRetryableExceptions}).
   */
  public static DefaultErrorHandler errorHandler(
      ProducerFactory<Object, Object> producerFactory,
      UnaryOperator<String> deadLetterTopic,
      Duration firstRetry) {
    ExponentialBackOff backOff = new ExponentialBackOff(firstRetry.toMillis(), 2.0);
    backOff.setMaxElapsedTime(RETRY_FOR.toMillis());
    DefaultErrorHandler handler =
        new DefaultErrorHandler(recoverer(producerFactory, deadLetterTopic), backOff);
    handler.addNotRetryableExceptions(DeserializationException.class);
    retryWhileStoreUnavailable(handler);
    return handler;
  }

  /**
   * Makes {@code handler} retry a record that failed because MongoDB could not be reached for as
   * long as that lasts (back-off doubling up to {@link #STORE_RETRY_MAX_INTERVAL}), instead of
   * dead-lettering it when its retries run out: the consumer stays on that record, commits nothing
   * past it and goes on once the store answers again, so an outage loses and skips nothing.
   */
  public static void retryWhileStoreUnavailable(DefaultErrorHandler handler) {
    handler.setBackOffFunction(
        (record, failure) -> StoreUnavailable.is(failure) ? untilStoreReturns() : null);
  }

  /** The longest wait between two attempts at a record while the store is unreachable. */
  public static final Duration STORE_RETRY_MAX_INTERVAL = Duration.ofSeconds(5);

  private static BackOff untilStoreReturns() {
    ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
    backOff.setMaxInterval(STORE_RETRY_MAX_INTERVAL.toMillis());
    return backOff;
  }

  /**
   * @param producerFactory the service's producer factory (its value serialiser writes events)
   * @param deadLetterTopic the dead-letter topic of a topic
   */
  public static DeadLetterPublishingRecoverer recoverer(
      ProducerFactory<Object, Object> producerFactory, UnaryOperator<String> deadLetterTopic) {
    KafkaTemplate<Object, Object> events = new KafkaTemplate<>(producerFactory);
    KafkaTemplate<Object, Object> raw =
        new KafkaTemplate<>(
            producerFactory,
            Map.of(
                "key.serializer", StringSerializer.class,
                "value.serializer", ByteArraySerializer.class));
    Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
    templates.put(byte[].class, raw);
    templates.put(Object.class, events);
    return new DeadLetterPublishingRecoverer(
        templates,
        (record, failure) -> new TopicPartition(deadLetterTopic.apply(record.topic()), -1));
  }
}

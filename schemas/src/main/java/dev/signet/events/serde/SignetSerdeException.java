package dev.signet.events.serde;

import java.util.OptionalInt;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be serialised or deserialised: wrong magic byte, unknown or unreachable schema
 * id, truncated or corrupt bytes, a schema the registry refused. It extends Kafka's {@link
 * SerializationException} so that consumers' error handlers treat it as a poison pill and route the
 * record to its dead-letter topic without retrying.
 */
public class SignetSerdeException extends SerializationException {

  private static final long serialVersionUID = 1L;

  private final String topic;
  private final Integer schemaId;
  private final boolean transientFailure;

  public SignetSerdeException(
      String message, String topic, Integer schemaId, Throwable cause, boolean transientFailure) {
    super(message, cause);
    this.topic = topic;
    this.schemaId = schemaId;
    this.transientFailure = transientFailure;
  }

  public SignetSerdeException(String message, String topic, Integer schemaId, Throwable cause) {
    this(message, topic, schemaId, cause, false);
  }

  public SignetSerdeException(String message, String topic, Integer schemaId) {
    this(message, topic, schemaId, null);
  }

  /** The topic of the record, or {@code null} when unknown. */
  public String topic() {
    return topic;
  }

  /**
   * True when the record itself may be fine and the failure came from the schema registry being
   * unreachable or overloaded (I/O error, 408, 429, 5xx after the client's retries): a consumer may
   * retry such a record later instead of treating it as a poison pill.
   */
  public boolean isTransient() {
    return transientFailure;
  }

  /** The schema id read from or meant for the record, when one is known. */
  public OptionalInt schemaId() {
    return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
  }
}

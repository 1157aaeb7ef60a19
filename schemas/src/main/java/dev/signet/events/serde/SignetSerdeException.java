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

  public SignetSerdeException(String message, String topic, Integer schemaId, Throwable cause) {
    super(message, cause);
    this.topic = topic;
    this.schemaId = schemaId;
  }

  public SignetSerdeException(String message, String topic, Integer schemaId) {
    this(message, topic, schemaId, null);
  }

  /** The topic of the record, or {@code null} when unknown. */
  public String topic() {
    return topic;
  }

  /** The schema id read from or meant for the record, when one is known. */
  public OptionalInt schemaId() {
    return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
  }
}

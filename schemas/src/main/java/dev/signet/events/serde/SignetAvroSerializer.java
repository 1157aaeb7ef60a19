package dev.signet.events.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro records in the Confluent wire format (magic byte 0, 4-byte
 * big-endian schema id, Avro binary), so that any Confluent-compatible consumer can read Signet's
 * topics. Accepts generated {@link SpecificRecord}s, {@code GenericRecord}s and Avro primitives
 * (strings, numbers, booleans, bytes); {@code null} stays {@code null} (a tombstone).
 *
 * <p>Configured with the keys of {@link SignetSerdeConfig} (the same as Confluent's). Failures
 * raise {@link SignetSerdeException}.
 */
public class SignetAvroSerializer implements Serializer<Object> {

  private record WriterKey(Schema schema, boolean specific) {}

  private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
  private SchemaRegistryClient client;
  private SignetSerdeConfig config = SignetSerdeConfig.defaults();
  private boolean isKey;

  /** For Kafka, which configures the serializer through {@link #configure(Map, boolean)}. */
  public SignetAvroSerializer() {
    EventClassTrust.ensure();
  }

  /** A value serializer with default settings using this registry client. */
  public SignetAvroSerializer(SchemaRegistryClient client) {
    EventClassTrust.ensure();
    this.client = client;
  }

  /** A value serializer using this client and configuration (the URL key is then optional). */
  public SignetAvroSerializer(SchemaRegistryClient client, Map<String, ?> configs) {
    EventClassTrust.ensure();
    this.client = client;
    configure(configs, false);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = SignetSerdeConfig.parse(configs, client == null);
    this.isKey = isKey;
    if (client == null) {
      client = SchemaRegistryClient.fromConfig(config);
    }
  }

  @Override
  public byte[] serialize(String topic, Object data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new SignetSerdeException(
          "SignetAvroSerializer is not configured: set " + SignetSerdeConfig.SCHEMA_REGISTRY_URL,
          topic,
          null);
    }
    Schema schema = schemaOf(topic, data);
    String subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, schema);
    int id;
    Object value = data instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : data;
    boolean specific = data instanceof SpecificRecord;
    try {
      if (config.useLatestVersion()) {
        SchemaRegistryClient.SchemaVersion latest = client.getLatestVersion(subject);
        id = latest.id();
        if (!latest.schema().equals(schema)) {
          value = convert(value, schema, latest.schema(), specific);
          schema = latest.schema();
          specific = false;
        }
      } else if (config.autoRegisterSchemas()) {
        id = client.register(subject, schema);
      } else {
        id = client.getId(subject, schema);
      }
    } catch (SchemaRegistryException e) {
      throw new SignetSerdeException(
          "Could not "
              + (config.useLatestVersion()
                  ? "fetch the latest schema"
                  : config.autoRegisterSchemas() ? "register the schema" : "look up the schema")
              + " of "
              + schema.getFullName()
              + " under subject "
              + subject
              + " for topic "
              + topic
              + ": "
              + e.getMessage(),
          topic,
          null,
          e,
          e.isTransient());
    }
    return encode(topic, id, schema, value, specific);
  }

  /** The Confluent wire format: magic byte 0, the 4-byte schema id, then the Avro binary. */
  private byte[] encode(String topic, int id, Schema schema, Object value, boolean specific) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      out.write(WireFormat.MAGIC_BYTE);
      out.write(ByteBuffer.allocate(WireFormat.ID_SIZE).putInt(id).array());
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer(schema, specific).write(value, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SignetSerdeException(
          "Could not encode "
              + schema.getFullName()
              + " for topic "
              + topic
              + " with schema id "
              + id
              + ": "
              + e.getMessage(),
          topic,
          id,
          e);
    }
  }

  @Override
  public void close() {
    writers.clear();
  }

  /** The registry client in use (shared with nothing else unless passed in). */
  public SchemaRegistryClient client() {
    return client;
  }

  private DatumWriter<Object> writer(Schema schema, boolean specific) {
    return writers.computeIfAbsent(
        new WriterKey(schema, specific),
        key ->
            key.specific()
                ? new SpecificDatumWriter<>(key.schema())
                : new GenericDatumWriter<>(key.schema(), GenericData.get()));
  }

  /**
   * Rewrites a record into the registry's latest schema through Avro schema resolution, because
   * Avro writers address fields by position and the latest schema may order them differently.
   */
  private Object convert(Object data, Schema own, Schema latest, boolean specific)
      throws SchemaRegistryException {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer(own, specific).write(data, encoder);
      encoder.flush();
      return new GenericDatumReader<>(own, latest, GenericData.get())
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException | RuntimeException e) {
      throw new SchemaRegistryException(
          "the record of "
              + own.getFullName()
              + " cannot be written with the latest registered schema: "
              + e.getMessage(),
          200,
          -1,
          e);
    }
  }

  private static Schema schemaOf(String topic, Object data) {
    if (data instanceof GenericContainer container) {
      return container.getSchema();
    }
    Schema.Type type;
    if (data instanceof CharSequence) {
      type = Schema.Type.STRING;
    } else if (data instanceof Integer) {
      type = Schema.Type.INT;
    } else if (data instanceof Long) {
      type = Schema.Type.LONG;
    } else if (data instanceof Boolean) {
      type = Schema.Type.BOOLEAN;
    } else if (data instanceof Float) {
      type = Schema.Type.FLOAT;
    } else if (data instanceof Double) {
      type = Schema.Type.DOUBLE;
    } else if (data instanceof byte[] || data instanceof ByteBuffer) {
      type = Schema.Type.BYTES;
    } else {
      throw new SignetSerdeException(
          "Cannot serialise a "
              + data.getClass().getName()
              + " for topic "
              + topic
              + ": expected an Avro record or primitive",
          topic,
          null);
    }
    return Schema.create(type);
  }
}

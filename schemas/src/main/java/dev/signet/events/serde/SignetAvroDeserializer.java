package dev.signet.events.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer reading the Confluent wire format (magic byte 0, 4-byte big-endian schema id,
 * Avro binary). The writer schema comes from the registry by id; with {@code
 * specific.avro.reader=true} the record is resolved into the generated class named by the writer
 * schema (or the configured {@code specific.avro.value.type}), so that a consumer reads data
 * written with an older or newer version of an event. Otherwise it returns a {@code GenericRecord}
 * (or the primitive) in the writer's schema.
 *
 * <p>A record that cannot be read (wrong magic byte, too short, unknown schema id, bytes that do
 * not decode, trailing bytes) raises {@link SignetSerdeException}, a Kafka {@code
 * SerializationException}: a poison pill to send to the dead-letter topic without retries. A {@code
 * null} payload is a tombstone and gives {@code null}.
 */
public class SignetAvroDeserializer implements Deserializer<Object> {

  private record ReaderKey(int schemaId, Class<?> specificType) {}

  private final Map<ReaderKey, DatumReader<Object>> readers = new ConcurrentHashMap<>();
  private SchemaRegistryClient client;
  private SignetSerdeConfig config = SignetSerdeConfig.defaults();
  private boolean isKey;

  /** For Kafka, which configures the deserializer through {@link #configure(Map, boolean)}. */
  public SignetAvroDeserializer() {
    EventClassTrust.ensure();
  }

  /** A value deserializer with default settings (GenericRecord) using this client. */
  public SignetAvroDeserializer(SchemaRegistryClient client) {
    EventClassTrust.ensure();
    this.client = client;
  }

  /** A value deserializer using this client and configuration (the URL key is then optional). */
  public SignetAvroDeserializer(SchemaRegistryClient client, Map<String, ?> configs) {
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
  public Object deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new SignetSerdeException(
          "SignetAvroDeserializer is not configured: set " + SignetSerdeConfig.SCHEMA_REGISTRY_URL,
          topic,
          null);
    }
    checkHeader(topic, data);
    int id = ByteBuffer.wrap(data, 1, WireFormat.ID_SIZE).getInt();
    Schema writer = writerSchema(topic, id);
    Class<?> type = specificType(topic, id, writer);
    DatumReader<Object> reader = reader(id, writer, type);
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
    return decode(topic, id, writer, reader, decoder);
  }

  /** The Confluent wire format's header: the magic byte 0 and a 4-byte schema id. */
  private static void checkHeader(String topic, byte[] data) {
    if (data.length < WireFormat.HEADER_SIZE) {
      throw new SignetSerdeException(
          "Truncated record on topic "
              + topic
              + ": "
              + data.length
              + " bytes, but the Confluent wire format needs at least "
              + WireFormat.HEADER_SIZE
              + " (magic byte and schema id)",
          topic,
          null);
    }
    if (data[0] != WireFormat.MAGIC_BYTE) {
      throw new SignetSerdeException(
          String.format(
              "Unknown magic byte 0x%02x on topic %s: expected 0x00 (Confluent wire format);"
                  + " the record was not written by an Avro schema-registry serializer",
              data[0] & 0xff, topic),
          topic,
          null);
    }
  }

  /** The whole payload as one value of the writer schema, with nothing left over. */
  private static Object decode(
      String topic, int id, Schema writer, DatumReader<Object> reader, BinaryDecoder decoder) {
    Object value;
    try {
      value = reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SignetSerdeException(
          "Could not decode the Avro payload on topic "
              + topic
              + " with schema id "
              + id
              + " ("
              + writer.getFullName()
              + "): "
              + (e instanceof java.io.EOFException
                  ? "the payload is truncated"
                  : e.getClass().getSimpleName() + " " + e.getMessage()),
          topic,
          id,
          e);
    }
    try {
      if (!decoder.isEnd()) {
        throw new SignetSerdeException(
            "Trailing bytes after the Avro payload on topic "
                + topic
                + " with schema id "
                + id
                + " ("
                + writer.getFullName()
                + "): the schema id does not match the payload",
            topic,
            id);
      }
    } catch (IOException e) {
      throw new SignetSerdeException(
          "Could not check the end of the payload on topic " + topic, topic, id, e);
    }
    return value;
  }

  @Override
  public void close() {
    readers.clear();
  }

  /** The registry client in use. */
  public SchemaRegistryClient client() {
    return client;
  }

  private Schema writerSchema(String topic, int id) {
    try {
      return client.getSchemaById(id);
    } catch (SchemaRegistryException e) {
      String reason =
          e.isNotFound()
              ? "the registry has no schema with this id"
              : "the registry could not be asked: " + e.getMessage();
      throw new SignetSerdeException(
          "Unknown schema id " + id + " on topic " + topic + ": " + reason,
          topic,
          id,
          e,
          e.isTransient());
    }
  }

  private Class<?> specificType(String topic, int id, Schema writer) {
    Class<? extends SpecificRecord> configured = config.specificType(isKey);
    if (configured != null) {
      return configured;
    }
    if (!config.specificAvroReader() || !isNamed(writer)) {
      return null;
    }
    Class<?> type = SpecificData.get().getClass(writer);
    if (type == null || type == Object.class) {
      throw new SignetSerdeException(
          "No generated class "
              + writer.getFullName()
              + " for schema id "
              + id
              + " on topic "
              + topic
              + " (specific.avro.reader=true)",
          topic,
          id);
    }
    return type;
  }

  private static boolean isNamed(Schema schema) {
    return switch (schema.getType()) {
      case RECORD, ENUM, FIXED -> true;
      default -> false;
    };
  }

  private DatumReader<Object> reader(int id, Schema writer, Class<?> type) {
    return readers.computeIfAbsent(
        new ReaderKey(id, type),
        key -> {
          if (key.specificType() == null) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
          }
          SpecificData model = SpecificData.getForClass(key.specificType());
          Schema readerSchema = model.getSchema(key.specificType());
          return new SpecificDatumReader<>(writer, readerSchema, model);
        });
  }
}

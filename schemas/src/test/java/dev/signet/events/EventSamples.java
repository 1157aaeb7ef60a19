package dev.signet.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds an instance of any event with every field set to a non-default value, so that a round trip
 * exercises every field (and a field added later is covered without touching the tests).
 */
public final class EventSamples {

  private static final long EPOCH_MILLIS = 1_795_000_000_123L;

  private EventSamples() {}

  /** A generated record of this type with every field populated. */
  public static <T extends SpecificRecord> T sample(Class<T> type) {
    Schema schema = SpecificData.get().getSchema(type);
    GenericRecord generic = genericSample(schema);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(schema).write(generic, encoder);
      encoder.flush();
      return new SpecificDatumReader<T>(type)
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A generic record of this schema with every field populated. */
  public static GenericRecord genericSample(Schema schema) {
    return (GenericRecord) value(schema, schema.getName());
  }

  private static Object value(Schema schema, String name) {
    return switch (schema.getType()) {
      case RECORD -> {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
          record.put(field.name(), value(field.schema(), field.name()));
        }
        yield record;
      }
      case UNION -> value(schema.getTypes().get(schema.getTypes().size() > 1 ? 1 : 0), name);
      case ENUM ->
          new GenericData.EnumSymbol(
              schema, schema.getEnumSymbols().get(schema.getEnumSymbols().size() - 1));
      case ARRAY -> List.of(value(schema.getElementType(), name));
      case MAP -> Map.of("k-" + name, value(schema.getValueType(), name));
      case STRING -> "s-" + name;
      case BYTES -> ByteBuffer.wrap(("b-" + name).getBytes(StandardCharsets.UTF_8));
      case INT -> 7 + name.length();
      case LONG ->
          schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
              ? EPOCH_MILLIS + name.length()
              : 70_000L + name.length();
      case DOUBLE -> 0.25 + name.length();
      case FLOAT -> 0.5f;
      case BOOLEAN -> true;
      case NULL -> null;
      case FIXED -> new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
    };
  }
}

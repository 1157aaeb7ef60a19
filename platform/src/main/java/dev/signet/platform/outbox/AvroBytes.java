package dev.signet.platform.outbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Plain Avro binary of specific records, for keeping events inside MongoDB documents. */
final class AvroBytes {

  private AvroBytes() {}

  static byte[] encode(SpecificRecord record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SpecificRecord decode(String type, byte[] payload) {
    try {
      Class<?> recordClass = Class.forName(type);
      var schema = SpecificData.get().getSchema(recordClass);
      var reader = new SpecificDatumReader<SpecificRecord>(schema);
      return reader.read(null, DecoderFactory.get().binaryDecoder(payload, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("unknown event type " + type, e);
    }
  }
}

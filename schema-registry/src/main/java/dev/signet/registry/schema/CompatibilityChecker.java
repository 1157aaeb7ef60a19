package dev.signet.registry.schema;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Checks a candidate schema against earlier versions with Avro's own {@link SchemaCompatibility},
 * the checker Confluent's Avro provider uses, so both registries accept the same evolutions.
 */
final class CompatibilityChecker {

  private CompatibilityChecker() {}

  /**
   * @param earlier live versions of the subject, oldest first; a non-transitive level looks only at
   *     the last one
   */
  static CompatibilityReport check(
      CompatibilityLevel level, Schema candidate, List<SchemaVersion> earlier) {
    if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
      return CompatibilityReport.ok();
    }
    List<SchemaVersion> against =
        level.transitive() ? earlier : List.of(earlier.get(earlier.size() - 1));
    // Newest first, stopping at the first incompatible version, as Confluent reports it.
    for (int i = against.size() - 1; i >= 0; i--) {
      SchemaVersion old = against.get(i);
      List<String> messages = incompatibilities(level, candidate, parse(old.schema()));
      if (!messages.isEmpty()) {
        messages.add("{oldSchemaVersion: " + old.version() + "}");
        messages.add("{oldSchema: '" + old.schema() + "'}");
        messages.add("{compatibility: '" + level.name() + "'}");
        return new CompatibilityReport(false, List.copyOf(messages));
      }
    }
    return CompatibilityReport.ok();
  }

  private static List<String> incompatibilities(
      CompatibilityLevel level, Schema candidate, Schema old) {
    List<String> messages = new ArrayList<>();
    if (level.backward()) {
      describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old), "new", messages);
    }
    if (level.forward()) {
      describe(SchemaCompatibility.checkReaderWriterCompatibility(old, candidate), "old", messages);
    }
    return messages;
  }

  private static void describe(
      SchemaCompatibility.SchemaPairCompatibility pair, String reader, List<String> messages) {
    if (pair.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    String writer = reader.equals("new") ? "old" : "new";
    for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
      messages.add(
          "{errorType:'"
              + incompatibility.getType()
              + "', description:'The "
              + reader
              + " schema cannot read data written with the "
              + writer
              + " schema at path '"
              + incompatibility.getLocation()
              + "'', additionalInfo:'"
              + incompatibility.getMessage()
              + "'}");
    }
  }

  static Schema parse(String schema) {
    return new Schema.Parser().parse(schema);
  }
}

package dev.signet.registry.schema;

/**
 * One version of a subject as stored in the log.
 *
 * @param schema the schema in Avro's normalised JSON ({@code Schema.toString()}), as Confluent
 *     stores it
 */
public record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) {

  SchemaVersion markDeleted() {
    return new SchemaVersion(subject, version, id, schema, true);
  }
}

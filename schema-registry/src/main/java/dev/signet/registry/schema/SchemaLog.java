package dev.signet.registry.schema;

/**
 * The append-only store the registry state is built from: Confluent's {@code _schemas} topic. The
 * registry changes its state only by reading the log back, so a restart rebuilds exactly the same
 * ids and versions.
 */
public interface SchemaLog {

  /**
   * Appends a record and returns only once this registry has read it back into its state.
   *
   * @param value {@code null} writes a tombstone
   * @throws SchemaLogException when the write fails or is not read back in time
   */
  void append(String key, String value);
}

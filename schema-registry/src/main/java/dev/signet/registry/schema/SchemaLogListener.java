package dev.signet.registry.schema;

/** Receives every record of the log in offset order, on the log's reader thread. */
public interface SchemaLogListener {

  /**
   * @param value {@code null} for a tombstone
   */
  void onRecord(String key, String value);
}

package dev.signet.registry.schema;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the records of Confluent's {@code _schemas} topic: JSON keys such as {@code
 * {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}} and JSON values. Keys are written with
 * a fixed field order because compaction compares key bytes.
 */
public final class StoreRecords implements SchemaLogListener {

  private static final Logger log = LoggerFactory.getLogger(StoreRecords.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final RegistryState state;

  public StoreRecords(RegistryState state) {
    this.state = state;
  }

  static String schemaKey(String subject, int version) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "SCHEMA");
    key.put("subject", subject);
    key.put("version", version);
    key.put("magic", 1);
    return JSON.writeValueAsString(key);
  }

  static String schemaValue(SchemaVersion version) {
    ObjectNode value = JSON.createObjectNode();
    value.put("subject", version.subject());
    value.put("version", version.version());
    value.put("id", version.id());
    value.put("schema", version.schema());
    value.put("deleted", version.deleted());
    return JSON.writeValueAsString(value);
  }

  /**
   * @param subject {@code null} for the global level
   */
  static String configKey(String subject) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "CONFIG");
    if (subject == null) {
      key.putNull("subject");
    } else {
      key.put("subject", subject);
    }
    key.put("magic", 0);
    return JSON.writeValueAsString(key);
  }

  static String configValue(CompatibilityLevel level) {
    ObjectNode value = JSON.createObjectNode();
    value.put("compatibilityLevel", level.name());
    return JSON.writeValueAsString(value);
  }

  @Override
  public void onRecord(String key, String value) {
    try {
      JsonNode keyNode = JSON.readTree(key);
      String keyType = text(keyNode, "keytype");
      if ("SCHEMA".equals(keyType)) {
        onSchema(keyNode, value);
      } else if ("CONFIG".equals(keyType)) {
        onConfig(keyNode, value);
      }
      // NOOP, MODE, DELETE_SUBJECT and other Confluent key types carry nothing this registry uses.
    } catch (JacksonException | IllegalArgumentException e) {
      log.warn("Skipping unreadable store record: {}", e.getMessage());
    }
  }

  private void onSchema(JsonNode key, String value) {
    String subject = text(key, "subject");
    int version = key.path("version").asInt();
    if (value == null) {
      state.removeVersion(subject, version);
      return;
    }
    JsonNode node = JSON.readTree(value);
    String schemaType = text(node, "schemaType");
    if (schemaType != null && !"AVRO".equals(schemaType)) {
      log.warn("Skipping {} schema of subject {} version {}", schemaType, subject, version);
      return;
    }
    String schema;
    try {
      // Confluent stores the normalised form too; normalising again keeps lookups exact.
      schema = CompatibilityChecker.parse(text(node, "schema")).toString();
    } catch (RuntimeException e) {
      log.warn("Skipping unparsable schema of subject {} version {}", subject, version);
      return;
    }
    state.putVersion(
        new SchemaVersion(
            subject,
            version,
            node.path("id").asInt(),
            schema,
            node.path("deleted").asBoolean(false)));
  }

  private void onConfig(JsonNode key, String value) {
    String subject = text(key, "subject");
    if (value == null) {
      state.setLevel(subject, null);
      return;
    }
    String level = text(JSON.readTree(value), "compatibilityLevel");
    CompatibilityLevel.parse(level).ifPresent(parsed -> state.setLevel(subject, parsed));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }
}

package dev.signet.registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoreRecordsTest {

  private static final String SCHEMA = "{\"type\":\"fixed\",\"name\":\"Hash\",\"size\":4}";

  private final RegistryState state = new RegistryState();
  private final StoreRecords records = new StoreRecords(state);

  @Test
  void writesKeysExactlyAsConfluentDoes() {
    assertThat(StoreRecords.schemaKey("orders-value", 3))
        .isEqualTo(
            "{\"keytype\":\"SCHEMA\",\"subject\":\"orders-value\",\"version\":3,\"magic\":1}");
    assertThat(StoreRecords.configKey("orders-value"))
        .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"orders-value\",\"magic\":0}");
    assertThat(StoreRecords.configKey(null))
        .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
    assertThat(StoreRecords.configValue(CompatibilityLevel.FULL))
        .isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
  }

  @Test
  void readsASchemaRecordWrittenByConfluent() {
    records.onRecord(
        "{\"keytype\":\"SCHEMA\",\"subject\":\"orders-value\",\"version\":1,\"magic\":1}",
        "{\"subject\":\"orders-value\",\"version\":1,\"id\":7,\"schemaType\":\"AVRO\","
            + "\"schema\":\"{\\\"type\\\": \\\"fixed\\\", \\\"name\\\": \\\"Hash\\\", \\\"size\\\": 4}\","
            + "\"deleted\":false}");

    assertThat(state.versions("orders-value"))
        .containsExactly(new SchemaVersion("orders-value", 1, 7, SCHEMA, false));
    assertThat(state.schemaById(7)).contains(SCHEMA);
    assertThat(state.idOf(SCHEMA)).contains(7);
    assertThat(state.maxId()).isEqualTo(7);
  }

  @Test
  void aTombstoneRemovesTheVersionButNeverLowersTheNextId() {
    SchemaVersion version = new SchemaVersion("orders-value", 1, 4, SCHEMA, true);
    records.onRecord(StoreRecords.schemaKey("orders-value", 1), StoreRecords.schemaValue(version));

    records.onRecord(StoreRecords.schemaKey("orders-value", 1), null);

    assertThat(state.versions("orders-value")).isEmpty();
    assertThat(state.schemaById(4)).isEmpty();
    assertThat(state.maxId()).isEqualTo(4);
  }

  @Test
  void configRecordsSetAndClearLevels() {
    records.onRecord(
        StoreRecords.configKey(null), StoreRecords.configValue(CompatibilityLevel.NONE));
    records.onRecord(
        StoreRecords.configKey("orders-value"),
        StoreRecords.configValue(CompatibilityLevel.FULL_TRANSITIVE));
    assertThat(state.globalLevel()).contains(CompatibilityLevel.NONE);
    assertThat(state.subjectLevel("orders-value")).contains(CompatibilityLevel.FULL_TRANSITIVE);

    records.onRecord(StoreRecords.configKey("orders-value"), null);

    assertThat(state.subjectLevel("orders-value")).isEmpty();
  }

  @Test
  void skipsRecordsItCannotUse() {
    records.onRecord("not json", "{}");
    records.onRecord("{\"keytype\":\"NOOP\",\"magic\":0}", null);
    records.onRecord(
        StoreRecords.schemaKey("proto-value", 1),
        "{\"subject\":\"proto-value\",\"version\":1,\"id\":1,\"schemaType\":\"PROTOBUF\","
            + "\"schema\":\"syntax = \\\"proto3\\\";\",\"deleted\":false}");

    assertThat(state.subjectNames()).isEmpty();
  }
}

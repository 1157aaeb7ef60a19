package dev.signet.registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityCheckerTest {

  private static final String V1 =
      """
      {"type":"record","name":"Thing","namespace":"dev.signet.test","fields":[
        {"name":"id","type":"string"}]}""";
  private static final String V2_WITH_DEFAULT =
      """
      {"type":"record","name":"Thing","namespace":"dev.signet.test","fields":[
        {"name":"id","type":"string"},{"name":"colour","type":"string","default":"red"}]}""";
  private static final String V2_WITHOUT_DEFAULT =
      """
      {"type":"record","name":"Thing","namespace":"dev.signet.test","fields":[
        {"name":"id","type":"string"},{"name":"colour","type":"string"}]}""";

  @Test
  void backwardAcceptsAFieldAddedWithADefault() {
    CompatibilityReport report =
        CompatibilityChecker.check(
            CompatibilityLevel.BACKWARD, schema(V2_WITH_DEFAULT), versions(V1));

    assertThat(report.compatible()).isTrue();
    assertThat(report.messages()).isEmpty();
  }

  @Test
  void backwardRejectsAFieldAddedWithoutADefaultAndSaysWhy() {
    CompatibilityReport report =
        CompatibilityChecker.check(
            CompatibilityLevel.BACKWARD, schema(V2_WITHOUT_DEFAULT), versions(V1));

    assertThat(report.compatible()).isFalse();
    assertThat(report.messages())
        .anySatisfy(m -> assertThat(m).contains("READER_FIELD_MISSING_DEFAULT_VALUE", "colour"))
        .contains("{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD'}");
  }

  @Test
  void forwardAllowsAFieldAddedWithoutADefaultBecauseOldReadersIgnoreIt() {
    CompatibilityReport report =
        CompatibilityChecker.check(
            CompatibilityLevel.FORWARD, schema(V2_WITHOUT_DEFAULT), versions(V1));

    assertThat(report.compatible()).isTrue();
  }

  @Test
  void fullRejectsWhatOnlyOneDirectionAccepts() {
    CompatibilityReport report =
        CompatibilityChecker.check(
            CompatibilityLevel.FULL, schema(V2_WITHOUT_DEFAULT), versions(V1));

    assertThat(report.compatible()).isFalse();
  }

  @Test
  void onlyTransitiveLevelsCheckVersionsBeforeTheLatest() {
    // v2 dropped "a"; v3 brings it back as an int: fine for v2 data, not for v1's strings.
    String v1 = record("{\"name\":\"a\",\"type\":\"string\"}");
    String v2 = record("");
    String v3 = record("{\"name\":\"a\",\"type\":\"int\",\"default\":0}");
    List<SchemaVersion> history = versions(v1, v2);

    CompatibilityReport latestOnly =
        CompatibilityChecker.check(CompatibilityLevel.BACKWARD, schema(v3), history);
    CompatibilityReport transitive =
        CompatibilityChecker.check(CompatibilityLevel.BACKWARD_TRANSITIVE, schema(v3), history);

    assertThat(latestOnly.compatible()).isTrue();
    assertThat(transitive.compatible()).isFalse();
    assertThat(transitive.messages())
        .contains("{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD_TRANSITIVE'}");
  }

  @Test
  void noneAcceptsAnything() {
    assertThat(
            CompatibilityChecker.check(
                    CompatibilityLevel.NONE, Schema.create(Schema.Type.INT), versions(V1))
                .compatible())
        .isTrue();
  }

  private static String record(String fields) {
    return "{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"dev.signet.test\","
        + "\"fields\":["
        + fields
        + "]}";
  }

  private static Schema schema(String text) {
    return new Schema.Parser().parse(text);
  }

  private static List<SchemaVersion> versions(String... schemas) {
    List<SchemaVersion> versions = new ArrayList<>();
    for (int i = 0; i < schemas.length; i++) {
      versions.add(version(i + 1, schemas[i]));
    }
    return versions;
  }

  private static SchemaVersion version(int number, String schema) {
    return new SchemaVersion("thing-value", number, number, schema(schema).toString(), false);
  }
}

package dev.signet.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.events.Topics.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The event contract rules of docs/events.md, checked on every build: topic names, the catalogue
 * covering every schema, docs and defaults everywhere, UNKNOWN enum defaults, no clear codes, and
 * compatibility (BACKWARD and FORWARD) with the released copy of each schema.
 */
class EventContractTest {

  private static final Pattern TOPIC_NAME = Pattern.compile("^auth\\.[a-z-]+\\.[a-z-]+\\.v[0-9]+$");
  private static final Path AVRO_SOURCES = Path.of("src/main/avro");

  static Stream<Topic> topics() {
    return Topics.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topics")
  void topicNamesFollowTheConvention(Topic topic) {
    assertThat(topic.name()).matches(TOPIC_NAME);
    assertThat(topic.dlt()).isEqualTo(topic.name() + ".dlt");
    assertThat(topic.valueSubject()).isEqualTo(topic.name() + "-value");
    String context = topic.name().split("\\.")[1];
    assertThat(topic.valueSchema().getNamespace()).isEqualTo("dev.signet.events." + context);
  }

  @Test
  void catalogueHasOneTopicPerEventTypeAndNoDuplicates() {
    List<Topic> all = Topics.all();
    assertThat(all.stream().map(Topic::name)).doesNotHaveDuplicates();
    assertThat(all.stream().map(Topic::valueType)).doesNotHaveDuplicates();
    assertThat(Topics.byName("auth.sms.blocked.v1")).contains(Topics.SMS_BLOCKED);
    assertThat(Topics.byValueType(Topics.SEND_POLICY.valueType())).contains(Topics.SEND_POLICY);
    assertThat(Topics.dlt("auth.sms.dispatched.v1")).isEqualTo("auth.sms.dispatched.v1.dlt");
  }

  @Test
  void everyTopicIsProducedByExactlyOneServiceThatCreatesIt() {
    List<String> producers =
        List.of("challenge-service", "sms-dispatcher", "rules-service", "audit-service");

    assertThat(producers.stream().flatMap(p -> Topics.producedBy(p).stream()))
        .containsExactlyInAnyOrderElementsOf(Topics.all());
    assertThat(Topics.producedBy("rules-service"))
        .containsExactly(Topics.ACTION_DECIDED, Topics.SEND_POLICY);
  }

  @Test
  void onlyTheSendPolicyTopicIsCompacted() {
    assertThat(Topics.all().stream().filter(Topic::compacted)).containsExactly(Topics.SEND_POLICY);
    assertThat(Topics.SEND_POLICY.configs()).containsEntry("cleanup.policy", "compact");
    assertThat(Topics.CHALLENGE_REQUESTED.configs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", "604800000");
  }

  @Test
  void catalogueCoversEverySchemaFile() throws IOException {
    Set<String> catalogued =
        Topics.all().stream().map(t -> t.valueType().getName()).collect(Collectors.toSet());
    List<String> files = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(AVRO_SOURCES)) {
      for (Path path : paths.filter(p -> p.toString().endsWith(".avsc")).toList()) {
        Schema schema = new Schema.Parser().parse(path.toFile());
        files.add(schema.getFullName());
        assertThat(path.getParent().getFileName().toString())
            .as("folder of %s", path)
            .isEqualTo(schema.getNamespace().substring("dev.signet.events.".length()));
        assertThat(path.getFileName().toString()).isEqualTo(schema.getName() + ".avsc");
      }
    }
    assertThat(files).containsExactlyInAnyOrderElementsOf(catalogued);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topics")
  void everyEventCarriesIdTimeAndCorrelation(Topic topic) {
    Schema schema = topic.valueSchema();
    assertThat(schema.getField("eventId").schema().getType()).isEqualTo(Schema.Type.STRING);
    assertThat(schema.getField("correlationId").schema().getType()).isEqualTo(Schema.Type.STRING);
    assertThat(schema.getField("occurredAt").schema().getLogicalType())
        .isInstanceOf(LogicalTypes.TimestampMillis.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topics")
  void everyRecordAndFieldHasADocAndADefaultAndEveryEnumDefaultsToUnknown(Topic topic) {
    List<String> problems = new ArrayList<>();
    check(topic.valueSchema(), problems, new IdentityHashMap<>());
    assertThat(problems).isEmpty();
  }

  /**
   * Avro's GenericData.Array#equals compares elements without the generated classes' conversions
   * and fails on a union holding a logical type (an Instant): such records would break equals().
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("topics")
  void recordsInsideArraysAndMapsHoldNoNullableLogicalTypes(Topic topic) {
    List<String> problems = new ArrayList<>();
    checkCollections(topic.valueSchema(), false, problems, new IdentityHashMap<>());
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topics")
  void noEventCarriesACodeOrAFullPhoneNumberInClear(Topic topic) {
    Set<String> allowedCodeFields =
        Set.of(
            "sealedCode",
            "countryCode",
            "actionCode",
            "errorCode",
            "networkCode",
            "phoneCountryCode",
            "previousCountryCode");
    List<String> names = new ArrayList<>();
    collectFieldNames(topic.valueSchema(), names, new IdentityHashMap<>());
    assertThat(names)
        .filteredOn(n -> n.toLowerCase().contains("code") && !allowedCodeFields.contains(n))
        .isEmpty();
    if (topic != Topics.CHALLENGE_REQUESTED) {
      assertThat(names).doesNotContain("phoneNumber", "sealedCode");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topics")
  void currentSchemaReadsTheReleasedOneAndViceVersa(Topic topic) throws IOException {
    Schema released = released(topic);
    Schema current = topic.valueSchema();

    SchemaPairCompatibility backward =
        SchemaCompatibility.checkReaderWriterCompatibility(current, released);
    SchemaPairCompatibility forward =
        SchemaCompatibility.checkReaderWriterCompatibility(released, current);

    assertThat(backward.getType())
        .as("current reads released (BACKWARD): %s", backward.getDescription())
        .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    assertThat(forward.getType())
        .as("released reads current (FORWARD): %s", forward.getDescription())
        .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    assertThat(released.getFullName()).isEqualTo(current.getFullName());
  }

  @Test
  void compatibilityCheckRejectsAFieldAddedWithoutDefault() {
    Schema released = Topics.SMS_BLOCKED.valueSchema();
    List<Schema.Field> fields = new ArrayList<>();
    released.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    fields.add(new Schema.Field("mandatory", Schema.create(Schema.Type.STRING), "no default"));
    Schema changed =
        Schema.createRecord(released.getName(), "doc", released.getNamespace(), false, fields);

    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(changed, released).getType())
        .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE);
  }

  private static Schema released(Topic topic) throws IOException {
    String resource = "/released/" + topic.name() + ".avsc";
    try (InputStream in = EventContractTest.class.getResourceAsStream(resource)) {
      assertThat(in).as("released copy %s", resource).isNotNull();
      return new Schema.Parser().parse(in);
    }
  }

  private static void check(Schema schema, List<String> problems, Map<Schema, Boolean> seen) {
    if (seen.put(schema, Boolean.TRUE) != null) {
      return;
    }
    switch (schema.getType()) {
      case RECORD -> {
        if (isBlank(schema.getDoc())) {
          problems.add(schema.getFullName() + " has no doc");
        }
        for (Schema.Field field : schema.getFields()) {
          String name = schema.getFullName() + "." + field.name();
          if (isBlank(field.doc())) {
            problems.add(name + " has no doc");
          }
          if (!field.hasDefaultValue()) {
            problems.add(name + " has no default");
          }
          check(field.schema(), problems, seen);
        }
      }
      case ENUM -> {
        if (!"UNKNOWN".equals(schema.getEnumDefault())) {
          problems.add(schema.getFullName() + " does not default to UNKNOWN");
        }
        if (!schema.getEnumSymbols().get(0).equals("UNKNOWN")) {
          problems.add(schema.getFullName() + " does not start with UNKNOWN");
        }
        if (isBlank(schema.getDoc())) {
          problems.add(schema.getFullName() + " has no doc");
        }
      }
      case UNION -> schema.getTypes().forEach(t -> check(t, problems, seen));
      case ARRAY -> check(schema.getElementType(), problems, seen);
      case MAP -> check(schema.getValueType(), problems, seen);
      default -> {}
    }
  }

  private static void checkCollections(
      Schema schema, boolean inCollection, List<String> problems, Map<Schema, Boolean> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (seen.put(schema, inCollection) != null) {
          return;
        }
        schema.getFields().forEach(f -> checkCollections(f.schema(), inCollection, problems, seen));
      }
      case UNION -> {
        if (inCollection && schema.getTypes().stream().anyMatch(t -> t.getLogicalType() != null)) {
          problems.add("nullable logical type inside an array or map: " + schema);
        }
        schema.getTypes().forEach(t -> checkCollections(t, inCollection, problems, seen));
      }
      case ARRAY -> checkCollections(schema.getElementType(), true, problems, seen);
      case MAP -> checkCollections(schema.getValueType(), true, problems, seen);
      default -> {}
    }
  }

  private static void collectFieldNames(
      Schema schema, List<String> names, Map<Schema, Boolean> seen) {
    if (seen.put(schema, Boolean.TRUE) != null) {
      return;
    }
    switch (schema.getType()) {
      case RECORD ->
          schema
              .getFields()
              .forEach(
                  f -> {
                    names.add(f.name());
                    collectFieldNames(f.schema(), names, seen);
                  });
      case UNION -> schema.getTypes().forEach(t -> collectFieldNames(t, names, seen));
      case ARRAY -> collectFieldNames(schema.getElementType(), names, seen);
      case MAP -> collectFieldNames(schema.getValueType(), names, seen);
      default -> {}
    }
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}

package dev.signet.events.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.events.EventSamples;
import dev.signet.events.Topics;
import dev.signet.events.Topics.Topic;
import dev.signet.events.challenge.ChallengePurpose;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.SmsChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SignetAvroSerdeTest {

  private static final String TOPIC = Topics.CHALLENGE_REQUESTED.name();

  private InTestRegistry registry;
  private SchemaRegistryClient client;
  private SignetAvroSerializer serializer;
  private SignetAvroDeserializer specificDeserializer;

  @BeforeEach
  void start() throws IOException {
    registry = new InTestRegistry();
    client =
        new SchemaRegistryClient(
            List.of(URI.create(registry.url())), SchemaRegistryClientTest.fastRetries(1));
    serializer = new SignetAvroSerializer(client);
    specificDeserializer =
        new SignetAvroDeserializer(client, Map.of(SignetSerdeConfig.SPECIFIC_AVRO_READER, true));
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  static Stream<Topic> topics() {
    return Topics.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topics")
  void roundTripsEveryEventThroughTheRegistry(Topic topic) {
    SpecificRecord event = EventSamples.sample(topic.valueType());
    assertThat(event).isNotEqualTo(defaults(topic.valueType()));

    byte[] bytes = serializer.serialize(topic.name(), event);
    Object specific = specificDeserializer.deserialize(topic.name(), bytes);
    Object generic = new SignetAvroDeserializer(client).deserialize(topic.name(), bytes);

    assertThat(specific).isInstanceOf(topic.valueType()).isEqualTo(event);
    assertThat(generic).isInstanceOf(GenericRecord.class);
    assertThat(((GenericRecord) generic).getSchema()).isEqualTo(topic.valueSchema());
    assertThat(((GenericRecord) generic).get("eventId").toString())
        .isEqualTo(((GenericRecord) event).get("eventId"));
    assertThat(registry.subjects()).contains(topic.valueSubject());
  }

  @Test
  void writesTheConfluentWireFormat() throws IOException {
    ChallengeRequested event = aChallengeRequested();

    byte[] bytes = serializer.serialize(TOPIC, event);

    int id = registry.register(TOPIC + "-value", event.getSchema());
    assertThat(bytes[0]).isEqualTo((byte) 0);
    assertThat(Arrays.copyOfRange(bytes, 1, 5))
        .containsExactly((byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id);
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(avroBinary(event));
  }

  @Test
  void writesTheIdTheRegistryAssignedBigEndian() {
    for (int i = 0; i < 300; i++) {
      registry.register("filler-" + i, SchemaBuilder.record("R" + i).fields().endRecord());
    }
    ChallengeRequested event = aChallengeRequested();

    byte[] bytes = serializer.serialize(TOPIC, event);

    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(301);
    assertThat(bytes[3]).isEqualTo((byte) 0x01);
    assertThat(bytes[4]).isEqualTo((byte) 0x2d);
  }

  @Test
  void refusesAWrongMagicByte() {
    byte[] bytes = serializer.serialize(TOPIC, aChallengeRequested());
    bytes[0] = 1;

    assertThatThrownBy(() -> specificDeserializer.deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .isInstanceOfSatisfying(
            SignetSerdeException.class, e -> assertThat(e.topic()).isEqualTo(TOPIC))
        .hasMessageContaining("magic byte 0x01")
        .hasMessageContaining(TOPIC);
  }

  @Test
  void refusesAnUnknownSchemaId() {
    byte[] bytes = serializer.serialize(TOPIC, aChallengeRequested());
    ByteBuffer.wrap(bytes).putInt(1, 9999);

    assertThatThrownBy(() -> specificDeserializer.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(
            SignetSerdeException.class, e -> assertThat(e.schemaId()).hasValue(9999))
        .hasMessageContaining("Unknown schema id 9999")
        .hasMessageContaining(TOPIC);
  }

  @Test
  void refusesATruncatedPayload() {
    byte[] bytes = serializer.serialize(TOPIC, aChallengeRequested());
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);

    assertThatThrownBy(() -> specificDeserializer.deserialize(TOPIC, truncated))
        .isInstanceOfSatisfying(
            SignetSerdeException.class, e -> assertThat(e.schemaId()).hasValue(1))
        .hasMessageContaining("truncated")
        .hasMessageContaining("schema id 1")
        .hasMessageContaining(TOPIC);
  }

  @Test
  void refusesRecordsShorterThanTheHeader() {
    assertThatThrownBy(() -> specificDeserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
        .isInstanceOf(SignetSerdeException.class)
        .hasMessageContaining("Truncated record")
        .hasMessageContaining("3 bytes");
    assertThatThrownBy(() -> specificDeserializer.deserialize(TOPIC, new byte[0]))
        .isInstanceOf(SignetSerdeException.class)
        .hasMessageContaining("0 bytes");
  }

  @Test
  void refusesTrailingBytes() {
    byte[] bytes = serializer.serialize(TOPIC, aChallengeRequested());
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);

    assertThatThrownBy(() -> specificDeserializer.deserialize(TOPIC, longer))
        .isInstanceOf(SignetSerdeException.class)
        .hasMessageContaining("Trailing bytes");
  }

  @Test
  void refusesPlainTextAsAPoisonPill() {
    byte[] text = "{\"challengeId\":\"c-1\"}".getBytes();

    assertThatThrownBy(() -> specificDeserializer.deserialize(TOPIC, text))
        .isInstanceOf(SignetSerdeException.class)
        .hasMessageContaining("magic byte 0x7b");
  }

  @Test
  void passesTombstonesThrough() {
    assertThat(serializer.serialize(TOPIC, null)).isNull();
    assertThat(specificDeserializer.deserialize(TOPIC, null)).isNull();
  }

  @Test
  void readsDataWrittenWithAnOlderSchemaIntoTheCurrentClass() {
    Schema current = ChallengeRequested.getClassSchema();
    Schema older = withoutFieldsAfter(current, "sealKeyId");
    GenericRecord old = new GenericData.Record(older);
    for (Schema.Field field : older.getFields()) {
      old.put(field.name(), EventSamples.genericSample(current).get(field.name()));
    }
    SignetAvroSerializer genericSerializer = new SignetAvroSerializer(client);

    byte[] bytes = genericSerializer.serialize(TOPIC, old);
    ChallengeRequested read = (ChallengeRequested) specificDeserializer.deserialize(TOPIC, bytes);

    assertThat(read.getChallengeId()).isEqualTo("s-challengeId");
    assertThat(read.getSealedCode()).isEqualTo(ByteBuffer.wrap("b-sealedCode".getBytes()));
    assertThat(read.getPurpose()).isEqualTo(ChallengePurpose.UNKNOWN);
    assertThat(read.getTestNumber()).isFalse();
    assertThat(read.getIdempotencyKey()).isNull();
  }

  @Test
  void withoutAutoRegistrationUsesOnlyRegisteredSchemas() {
    SignetAvroSerializer lookupOnly =
        new SignetAvroSerializer(client, Map.of(SignetSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"));

    assertThatThrownBy(() -> lookupOnly.serialize(TOPIC, aChallengeRequested()))
        .isInstanceOf(SignetSerdeException.class)
        .hasMessageContaining("look up the schema")
        .hasMessageContaining(TOPIC + "-value")
        .hasMessageContaining("40401");

    int id = registry.register(TOPIC + "-value", ChallengeRequested.getClassSchema());
    byte[] bytes = lookupOnly.serialize(TOPIC, aChallengeRequested());
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    assertThat(registry.subjects()).containsExactly(TOPIC + "-value");
  }

  @Test
  void withUseLatestVersionWritesWithTheLatestRegisteredSchema() {
    Schema current = ChallengeRequested.getClassSchema();
    Schema latest = reversedWithExtraField(current);
    registry.register(TOPIC + "-value", current);
    int latestId = registry.register(TOPIC + "-value", latest);
    SignetAvroSerializer useLatest =
        new SignetAvroSerializer(
            client,
            Map.of(
                SignetSerdeConfig.USE_LATEST_VERSION, true,
                SignetSerdeConfig.AUTO_REGISTER_SCHEMAS, false));
    ChallengeRequested event = aChallengeRequested();

    byte[] bytes = useLatest.serialize(TOPIC, event);

    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latestId);
    assertThat(specificDeserializer.deserialize(TOPIC, bytes)).isEqualTo(event);
    GenericRecord generic =
        (GenericRecord) new SignetAvroDeserializer(client).deserialize(TOPIC, bytes);
    assertThat(generic.get("addedLater").toString()).isEqualTo("n/a");
  }

  @Test
  void namesSubjectsWithTheConfiguredStrategies() {
    Map<String, Object> configs = new HashMap<>();
    configs.put(SignetSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
    configs.put(
        SignetSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
        "io.confluent.kafka.serializers.subject.RecordNameStrategy");
    configs.put(SignetSerdeConfig.KEY_SUBJECT_NAME_STRATEGY, "TopicRecordNameStrategy");
    try (SignetAvroSerializer values = new SignetAvroSerializer();
        SignetAvroSerializer keys = new SignetAvroSerializer()) {
      values.configure(configs, false);
      keys.configure(configs, true);

      values.serialize(TOPIC, aChallengeRequested());
      keys.serialize(TOPIC, aChallengeRequested());
    }

    assertThat(registry.subjects())
        .containsExactlyInAnyOrder(
            "dev.signet.events.challenge.ChallengeRequested",
            TOPIC + "-dev.signet.events.challenge.ChallengeRequested");
  }

  @Test
  void configuresItselfFromKafkaPropertiesLikeConfluentsSerde() {
    Map<String, Object> configs = new HashMap<>();
    configs.put(SignetSerdeConfig.SCHEMA_REGISTRY_URL, registry.url() + "/");
    configs.put(SignetSerdeConfig.SPECIFIC_AVRO_READER, "true");
    try (SignetAvroSerializer kafkaSerializer = new SignetAvroSerializer();
        SignetAvroDeserializer kafkaDeserializer = new SignetAvroDeserializer()) {
      kafkaSerializer.configure(configs, false);
      kafkaDeserializer.configure(configs, false);
      ChallengeRequested event = aChallengeRequested();

      Object read = kafkaDeserializer.deserialize(TOPIC, kafkaSerializer.serialize(TOPIC, event));

      assertThat(read).isEqualTo(event);
    }
    assertThat(registry.subjects()).containsExactly(TOPIC + "-value");
  }

  @Test
  void readsIntoAConfiguredValueType() {
    SignetAvroDeserializer typed =
        new SignetAvroDeserializer(
            client,
            Map.of(SignetSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, ChallengeRequested.class.getName()));

    Object read = typed.deserialize(TOPIC, serializer.serialize(TOPIC, aChallengeRequested()));

    assertThat(read).isInstanceOf(ChallengeRequested.class);
  }

  @Test
  void serialisesPrimitives() {
    SignetAvroSerializer keys = new SignetAvroSerializer(client);
    keys.configure(Map.of(), true);

    byte[] bytes = keys.serialize(TOPIC, "challenge-1");

    assertThat(new SignetAvroDeserializer(client).deserialize(TOPIC, bytes).toString())
        .isEqualTo("challenge-1");
    assertThat(registry.subjects()).containsExactly(TOPIC + "-key");
  }

  @Test
  void refusesTypesThatAreNotAvro() {
    assertThatThrownBy(() -> serializer.serialize(TOPIC, new Object()))
        .isInstanceOf(SignetSerdeException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void reportsAnUnreachableRegistryAsASerdeError() {
    registry.failNext(503, 5);

    assertThatThrownBy(() -> serializer.serialize(TOPIC, aChallengeRequested()))
        .isInstanceOfSatisfying(
            SignetSerdeException.class, e -> assertThat(e.isTransient()).isTrue())
        .hasMessageContaining("register the schema")
        .hasMessageContaining("HTTP 503");
  }

  @Test
  void marksAnUnreachableRegistryOnReadAsTransientAndAnUnknownIdAsPermanent() {
    byte[] bytes = serializer.serialize(TOPIC, aChallengeRequested());
    SignetAvroDeserializer fresh = new SignetAvroDeserializer(freshClient());
    registry.failNext(503, 2); // the first attempt and the one retry

    assertThatThrownBy(() -> fresh.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(
            SignetSerdeException.class, e -> assertThat(e.isTransient()).isTrue())
        .hasMessageContaining("could not be asked");
    ByteBuffer.wrap(bytes).putInt(1, 777);
    assertThatThrownBy(() -> fresh.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(
            SignetSerdeException.class, e -> assertThat(e.isTransient()).isFalse());
  }

  private SchemaRegistryClient freshClient() {
    return new SchemaRegistryClient(
        List.of(URI.create(registry.url())), SchemaRegistryClientTest.fastRetries(1));
  }

  @Test
  void requiresARegistryUrlWhenNoClientIsGiven() {
    try (SignetAvroSerializer unconfigured = new SignetAvroSerializer()) {
      assertThatThrownBy(() -> unconfigured.configure(Map.of(), false))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("schema.registry.url");
    }
  }

  @Test
  void trustsSignetEventClassesWithoutTheAvroSystemProperty() {
    ClassSecurityValidator.ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
    try {
      ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT_TRUSTED_CLASSES);
      assertThat(ClassSecurityValidator.getGlobal().isTrusted(ChallengeRequested.class)).isFalse();

      new SignetAvroDeserializer(client);

      assertThat(ClassSecurityValidator.getGlobal().isTrusted(ChallengeRequested.class)).isTrue();
      assertThat(ClassSecurityValidator.getGlobal().isTrusted(java.io.File.class)).isFalse();
    } finally {
      ClassSecurityValidator.setGlobal(before);
    }
  }

  static ChallengeRequested aChallengeRequested() {
    return ChallengeRequested.newBuilder()
        .setEventId("0b6c7a4e-2f4e-4b7a-9d0e-1f2a3b4c5d6e")
        .setOccurredAt(Instant.parse("2026-11-25T18:00:00.123Z"))
        .setCorrelationId("req-1")
        .setChallengeId("ch_8Qm3")
        .setAttempt(1)
        .setPhoneNumber("+447700900001")
        .setChannel(SmsChannel.SMS)
        .setAction("signIn")
        .setExpiresAt(Instant.parse("2026-11-25T18:10:00.123Z"))
        .setSealedCode(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setSealKeyId("k1")
        .setPurpose(ChallengePurpose.SIGN_IN)
        .setCountryCode("GB")
        .setPhoneNumberMasked("+44******0001")
        .build();
  }

  private static SpecificRecord defaults(Class<? extends SpecificRecord> type) {
    try {
      Object builder = type.getMethod("newBuilder").invoke(null);
      return (SpecificRecord) builder.getClass().getMethod("build").invoke(builder);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] avroBinary(ChallengeRequested event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(ChallengeRequested.class).write(event, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static Schema withoutFieldsAfter(Schema schema, String lastField) {
    List<Schema.Field> fields = new java.util.ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
      if (field.name().equals(lastField)) {
        break;
      }
    }
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  private static Schema reversedWithExtraField(Schema schema) {
    List<Schema.Field> fields = new java.util.ArrayList<>();
    fields.add(new Schema.Field("addedLater", Schema.create(Schema.Type.STRING), "new", "n/a"));
    List<Schema.Field> original = new java.util.ArrayList<>(schema.getFields());
    java.util.Collections.reverse(original);
    for (Schema.Field field : original) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }
}

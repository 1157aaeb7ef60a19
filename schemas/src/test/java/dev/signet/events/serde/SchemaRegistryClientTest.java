package dev.signet.events.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.events.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {

  private static final String SUBJECT = "auth.challenge.requested.v1-value";

  private final Schema schema = Topics.CHALLENGE_REQUESTED.valueSchema();
  private InTestRegistry registry;
  private SchemaRegistryClient client;

  @BeforeEach
  void startRegistry() throws IOException {
    registry = new InTestRegistry();
    client = new SchemaRegistryClient(List.of(URI.create(registry.url())), fastRetries(3));
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void registersLooksUpAndListsSchemas() {
    int id = client.register(SUBJECT, schema);

    assertThat(client.getSchemaById(id)).isEqualTo(schema);
    SchemaRegistryClient.SchemaVersion found = client.lookup(SUBJECT, schema);
    assertThat(found.id()).isEqualTo(id);
    assertThat(found.version()).isEqualTo(1);
    assertThat(found.subject()).isEqualTo(SUBJECT);
    assertThat(client.getVersions(SUBJECT)).containsExactly(1);
    assertThat(client.getLatestVersion(SUBJECT).schema()).isEqualTo(schema);
    assertThat(client.getVersion(SUBJECT, 1).id()).isEqualTo(id);
    assertThat(client.getSubjects()).containsExactly(SUBJECT);
  }

  @Test
  void retriesOn503ThenSucceeds() {
    registry.failNext(503, 2);

    int id = client.register(SUBJECT, schema);

    assertThat(id).isEqualTo(1);
    assertThat(registry.requests()).isEqualTo(3);
  }

  @Test
  void retriesOn408And429() {
    registry.failNext(408, 1);
    registry.failNext(429, 1, "0");

    client.register(SUBJECT, schema);

    assertThat(registry.requests()).isEqualTo(3);
  }

  @Test
  void doesNotRetryOn422AndReportsTheRegistryError() {
    registry.failNext(422, 1);

    assertThatThrownBy(() -> client.register(SUBJECT, schema))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.errorCode()).isEqualTo(42201);
              assertThat(e.getMessage())
                  .contains("HTTP 422")
                  .contains("error_code 42201")
                  .contains("injected 422")
                  .contains("/subjects/auth.challenge.requested.v1-value/versions");
            });
    assertThat(registry.requests()).isEqualTo(1);
  }

  @Test
  void givesUpAfterTheBoundedNumberOfRetries() {
    SchemaRegistryClient twoRetries =
        new SchemaRegistryClient(List.of(URI.create(registry.url())), fastRetries(2));
    registry.failNext(500, 10);

    assertThatThrownBy(() -> twoRetries.register(SUBJECT, schema))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.status()).isEqualTo(500);
              assertThat(e.getMessage()).contains("after 3 attempts");
            });
    assertThat(registry.requests()).isEqualTo(3);
  }

  @Test
  void fetchesASchemaByIdOnceThenServesItFromTheCache() {
    int id = registry.register(SUBJECT, schema);

    Schema first = client.getSchemaById(id);
    Schema second = client.getSchemaById(id);

    assertThat(first).isEqualTo(schema).isSameAs(second);
    assertThat(registry.requests("/schemas/ids/" + id)).isEqualTo(1);
  }

  @Test
  void registersASchemaOncePerSubject() {
    client.register(SUBJECT, schema);
    client.register(SUBJECT, schema);
    client.getId(SUBJECT, schema);

    assertThat(registry.requests()).isEqualTo(1);
  }

  @Test
  void reportsAnUnknownIdAsNotFound() {
    assertThatThrownBy(() -> client.getSchemaById(4242))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.isNotFound()).isTrue();
              assertThat(e.errorCode()).isEqualTo(40403);
            });
    assertThat(registry.requests()).isEqualTo(1);
  }

  @Test
  void reportsAnUnregisteredSchemaAsNotFound() {
    registry.register(SUBJECT, schema);

    assertThatThrownBy(() -> client.lookup(SUBJECT, Topics.CHALLENGE_VERIFIED.valueSchema()))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
  }

  @Test
  void failsOverToTheNextUrlWhenOneIsDown() throws IOException {
    SchemaRegistryClient failover =
        new SchemaRegistryClient(
            SignetSerdeConfig.parseUrls(closedPortUrl() + " , " + registry.url()), fastRetries(2));

    int id = failover.register(SUBJECT, schema);

    assertThat(id).isEqualTo(1);
    assertThat(failover.requestCount()).isEqualTo(2);
  }

  @Test
  void checksCompatibilityAgainstTheLatestVersion() {
    registry.register(SUBJECT, schema);
    Schema withRequiredField =
        SchemaBuilder.record("ChallengeRequested")
            .namespace("dev.signet.events.challenge")
            .fields()
            .requiredString("challengeId")
            .requiredString("somethingNew")
            .endRecord();

    assertThat(client.testCompatibility(SUBJECT, schema).compatible()).isTrue();
    assertThat(client.testCompatibility(SUBJECT, withRequiredField).compatible()).isFalse();
    assertThat(client.testCompatibility("no-such-subject", withRequiredField).compatible())
        .isTrue();
    assertThatThrownBy(() -> client.register(SUBJECT, withRequiredField))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  @Test
  void sendsBasicAuthWhenConfigured() {
    SchemaRegistryClient.Options options =
        new SchemaRegistryClient.Options(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            0,
            Duration.ofMillis(1),
            Duration.ofMillis(1),
            null,
            "signet:s3cret");
    new SchemaRegistryClient(List.of(URI.create(registry.url())), options).getSubjects();

    assertThat(registry.authorizations())
        .containsExactly(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("signet:s3cret".getBytes(StandardCharsets.UTF_8)));
  }

  static SchemaRegistryClient.Options fastRetries(int retries) {
    return SchemaRegistryClient.Options.defaults()
        .withRetries(retries, Duration.ofMillis(1), Duration.ofMillis(5));
  }

  private static String closedPortUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }
}

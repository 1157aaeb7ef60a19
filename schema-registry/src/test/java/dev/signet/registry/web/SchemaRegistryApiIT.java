package dev.signet.registry.web;

import static dev.signet.registry.support.Schemas.body;
import static dev.signet.registry.support.Schemas.field;
import static dev.signet.registry.support.Schemas.fieldWithDefault;
import static dev.signet.registry.support.Schemas.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.registry.support.RunningRegistry;
import dev.signet.registry.support.TestBroker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The Confluent REST subset against a real broker, through HTTP. */
class SchemaRegistryApiIT {

  private static final MediaType V1 =
      MediaType.parseMediaType("application/vnd.schemaregistry.v1+json");
  private static final String USER_V1 = record("User", field("id", "string"));
  private static final String USER_V2 =
      record("User", field("id", "string"), fieldWithDefault("email", "string", "\"\""));
  private static final String USER_V2_NO_DEFAULT =
      record("User", field("id", "string"), field("email", "string"));

  private static RunningRegistry registry;
  private static WebTestClient client;

  @BeforeAll
  static void startRegistry() {
    registry = RunningRegistry.start(TestBroker.bootstrap(), "_schemas").awaitHealthy();
    client = registry.client();
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @Test
  void reportsHealthUpOnceTheLogIsRead() {
    client
        .get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
  }

  @Test
  void registeringTheSameSchemaTwiceAnswersTheSameId() {
    int first = register("same-value", USER_V1);
    // Whitespace differs; the normalised schema is the same.
    int second = register("same-value", USER_V1.replace(",", ", "));

    assertThat(second).isEqualTo(first);
    client
        .get()
        .uri("/subjects/same-value/versions")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentType(V1)
        .expectBody()
        .json("[1]");
  }

  @Test
  void answersVersionsAndSchemasInConfluentShapes() {
    int id = register("shapes-value", USER_V1);

    client
        .get()
        .uri("/subjects/shapes-value/versions/1")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.subject")
        .isEqualTo("shapes-value")
        .jsonPath("$.version")
        .isEqualTo(1)
        .jsonPath("$.id")
        .isEqualTo(id)
        .jsonPath("$.schema")
        .isEqualTo(USER_V1);
    client
        .get()
        .uri("/subjects/shapes-value/versions/latest")
        .exchange()
        .expectBody()
        .jsonPath("$.id")
        .isEqualTo(id);
    client
        .get()
        .uri("/subjects/shapes-value/versions/1/schema")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json(USER_V1);
    client
        .get()
        .uri("/schemas/ids/{id}", id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.schema")
        .isEqualTo(USER_V1);
    assertThat(subjects()).contains("shapes-value");
  }

  @Test
  void aSchemaKeepsItsGlobalIdUnderEverySubject() {
    String schema = record("Shared", field("n", "int"));
    int first = register("shared-a-value", schema);
    int second = register("shared-b-value", schema);

    assertThat(second).isEqualTo(first);
    client
        .get()
        .uri("/schemas/ids/{id}/versions", first)
        .exchange()
        .expectBody()
        .json(
            "[{\"subject\":\"shared-a-value\",\"version\":1},"
                + "{\"subject\":\"shared-b-value\",\"version\":1}]");
    client
        .get()
        .uri("/schemas/ids/{id}/subjects", first)
        .exchange()
        .expectBody()
        .json("[\"shared-a-value\",\"shared-b-value\"]");
  }

  @Test
  void lookupFindsTheRegisteredVersion() {
    int id = register("lookup-value", USER_V1);

    client
        .post()
        .uri("/subjects/lookup-value")
        .contentType(V1)
        .bodyValue(body(USER_V1))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json(
            "{\"subject\":\"lookup-value\",\"version\":1,\"id\":"
                + id
                + ",\"schema\":"
                + quoted(USER_V1)
                + "}");
    client
        .post()
        .uri("/subjects/lookup-value")
        .contentType(V1)
        .bodyValue(body(USER_V2))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .json("{\"error_code\":40403,\"message\":\"Schema not found\"}");
  }

  @Test
  void unknownSubjectsVersionsAndIdsAnswerConfluentErrors() {
    client
        .get()
        .uri("/subjects/nobody-value/versions")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .json("{\"error_code\":40401,\"message\":\"Subject 'nobody-value' not found.\"}");
    register("errors-value", USER_V1);
    client
        .get()
        .uri("/subjects/errors-value/versions/9")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .json("{\"error_code\":40402,\"message\":\"Version 9 not found.\"}");
    client
        .get()
        .uri("/subjects/errors-value/versions/zero")
        .exchange()
        .expectStatus()
        .isEqualTo(422)
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(42202);
    client
        .get()
        .uri("/schemas/ids/999999")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .json("{\"error_code\":40403,\"message\":\"Schema 999999 not found\"}");
  }

  @Test
  void anIncompatibleSchemaIsRefusedWith409() {
    register("evolve-value", USER_V1);

    client
        .post()
        .uri("/subjects/evolve-value/versions")
        .contentType(V1)
        .bodyValue(body(USER_V2_NO_DEFAULT))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(409)
        .jsonPath("$.message")
        .value(message -> assertThat((String) message).contains("READER_FIELD_MISSING_DEFAULT"));
    int evolved = register("evolve-value", USER_V2);

    client.get().uri("/subjects/evolve-value/versions").exchange().expectBody().json("[1,2]");
    client
        .get()
        .uri("/subjects/evolve-value/versions/latest")
        .exchange()
        .expectBody()
        .jsonPath("$.id")
        .isEqualTo(evolved);
  }

  @Test
  void theCompatibilityEndpointExplainsWithVerbose() {
    register("compat-value", USER_V1);

    client
        .post()
        .uri("/compatibility/subjects/compat-value/versions/latest")
        .contentType(V1)
        .bodyValue(body(USER_V2))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json("{\"is_compatible\":true}");
    client
        .post()
        .uri("/compatibility/subjects/compat-value/versions/latest?verbose=true")
        .contentType(V1)
        .bodyValue(body(USER_V2_NO_DEFAULT))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.is_compatible")
        .isEqualTo(false)
        .jsonPath("$.messages[0]")
        .value(message -> assertThat((String) message).contains("email"));
    client
        .post()
        .uri("/compatibility/subjects/compat-value/versions")
        .contentType(V1)
        .bodyValue(body(USER_V2_NO_DEFAULT))
        .exchange()
        .expectBody()
        .json("{\"is_compatible\":false}");
  }

  @Test
  void anInvalidSchemaIsRefusedWith42201() {
    client
        .post()
        .uri("/subjects/invalid-value/versions")
        .contentType(V1)
        .bodyValue(body("{\"type\":\"record\",\"name\":\"Broken\"}"))
        .exchange()
        .expectStatus()
        .isEqualTo(422)
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(42201);
    client
        .post()
        .uri("/subjects/invalid-value/versions")
        .contentType(V1)
        .bodyValue("{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}")
        .exchange()
        .expectStatus()
        .isEqualTo(422)
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(42201);
  }

  @Test
  void associationsAreNotServedSoNewClientsFallBack() {
    client
        .get()
        .uri("/associations/subjects/anything-value")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(404);
    client
        .post()
        .uri("/associations")
        .contentType(V1)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  @Test
  void subjectCompatibilityCanBeConfigured() {
    client
        .get()
        .uri("/config")
        .exchange()
        .expectBody()
        .json("{\"compatibilityLevel\":\"BACKWARD\"}");
    client
        .get()
        .uri("/config/relaxed-value")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(40408);
    register("relaxed-value", USER_V1);

    client
        .put()
        .uri("/config/relaxed-value")
        .contentType(V1)
        .bodyValue("{\"compatibility\":\"none\"}")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json("{\"compatibility\":\"NONE\"}");
    register("relaxed-value", USER_V2_NO_DEFAULT);

    client
        .get()
        .uri("/config/relaxed-value")
        .exchange()
        .expectBody()
        .json("{\"compatibilityLevel\":\"NONE\"}");
    client
        .get()
        .uri("/config/other-value?defaultToGlobal=true")
        .exchange()
        .expectBody()
        .json("{\"compatibilityLevel\":\"BACKWARD\"}");
    client
        .put()
        .uri("/config/relaxed-value")
        .contentType(V1)
        .bodyValue("{\"compatibility\":\"SIDEWAYS\"}")
        .exchange()
        .expectStatus()
        .isEqualTo(422)
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(42203);
  }

  @Test
  void softDeleteHidesTheSubjectButKeepsItsIds() {
    int id = register("gone-value", record("Gone", field("x", "long")));

    client
        .delete()
        .uri("/subjects/gone-value")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json("[1]");

    client.get().uri("/subjects/gone-value/versions").exchange().expectStatus().isNotFound();
    client
        .get()
        .uri("/subjects/gone-value/versions?deleted=true")
        .exchange()
        .expectBody()
        .json("[1]");
    assertThat(subjects()).doesNotContain("gone-value");
    client.get().uri("/schemas/ids/{id}", id).exchange().expectStatus().isOk();
    assertThat(register("gone-value", record("Gone", field("x", "long")))).isEqualTo(id);
  }

  @Test
  void permanentDeleteNeedsASoftDeleteFirstAndNeverHandsTheIdOutAgain() {
    int id = register("purged-value", record("Purged", field("y", "long")));
    client
        .delete()
        .uri("/subjects/purged-value?permanent=true")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(40405);

    client.delete().uri("/subjects/purged-value").exchange().expectStatus().isOk();
    client
        .delete()
        .uri("/subjects/purged-value?permanent=true")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json("[1]");

    client
        .get()
        .uri("/subjects/purged-value/versions?deleted=true")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(40401);
    client.get().uri("/schemas/ids/{id}", id).exchange().expectStatus().isNotFound();
    assertThat(register("purged-value", record("Purged", field("y", "long")))).isGreaterThan(id);
  }

  @Test
  void answersTheSmallEndpointsClientsProbe() {
    client.get().uri("/").exchange().expectStatus().isOk().expectBody().json("{}");
    client.get().uri("/schemas/types").exchange().expectBody().json("[\"AVRO\"]");
    client.get().uri("/mode").exchange().expectBody().json("{\"mode\":\"READWRITE\"}");
    // Deny by default: a path the registry does not serve is refused, even to the writer.
    client
        .get()
        .uri("/no/such/path")
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(40301);
  }

  @Test
  void acceptsAndAnswersPlainJsonToo() {
    client
        .post()
        .uri("/subjects/plain-value/versions")
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON)
        .bodyValue(body(USER_V1))
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentType(MediaType.APPLICATION_JSON)
        .expectBody()
        .jsonPath("$.id")
        .isNumber();
  }

  private static int register(String subject, String schema) {
    Map<String, Object> response =
        client
            .post()
            .uri("/subjects/{subject}/versions", subject)
            .contentType(V1)
            .accept(V1)
            .bodyValue(body(schema))
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(V1)
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    assertThat(response).containsOnlyKeys("id");
    return ((Number) response.get("id")).intValue();
  }

  private static List<String> subjects() {
    return client
        .get()
        .uri("/subjects")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(new ParameterizedTypeReference<List<String>>() {})
        .returnResult()
        .getResponseBody();
  }

  private static String quoted(String schema) {
    return "\"" + schema.replace("\"", "\\\"") + "\"";
  }
}

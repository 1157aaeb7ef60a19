package dev.signet.registry.web;

import static dev.signet.registry.support.Schemas.body;
import static dev.signet.registry.support.Schemas.field;
import static dev.signet.registry.support.Schemas.record;

import dev.signet.registry.support.RunningRegistry;
import dev.signet.registry.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Writes need the writer's HTTP Basic credential and are refused with Confluent's JSON 401 without
 * it; reads stay public; a route the registry does not serve is refused, except the associations
 * probe Confluent's newer clients expect a 404 from.
 */
class RegistrySecurityIT {

  private static final MediaType JSON = MediaType.APPLICATION_JSON;
  private static final String SCHEMA = record("Guarded", field("id", "string"));

  private static RunningRegistry registry;
  private static WebTestClient writer;
  private static WebTestClient anonymous;

  @BeforeAll
  static void startRegistry() {
    registry = RunningRegistry.start(TestBroker.bootstrap(), "_schemas_security").awaitHealthy();
    writer = registry.client();
    anonymous = registry.anonymousClient();
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @Test
  void registeringWithoutACredentialIsRefusedWithConfluentsJson401() {
    anonymous
        .post()
        .uri("/subjects/guarded-value/versions")
        .contentType(JSON)
        .bodyValue(body(SCHEMA))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .valueEquals("WWW-Authenticate", "Basic realm=\"signet-schema-registry\"")
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(40101)
        .jsonPath("$.message")
        .value(m -> org.assertj.core.api.Assertions.assertThat((String) m).contains("writer"));
    anonymous.get().uri("/subjects/guarded-value/versions").exchange().expectStatus().isNotFound();
  }

  @Test
  void aWrongPasswordIsRefusedToo() {
    anonymous
        .post()
        .uri("/subjects/guarded-value/versions")
        .headers(h -> h.setBasicAuth(RunningRegistry.WRITER, "guess"))
        .contentType(JSON)
        .bodyValue(body(SCHEMA))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.error_code")
        .isEqualTo(40101);
  }

  @Test
  void deletingAndChangingConfigurationNeedTheWriter() {
    anonymous.delete().uri("/subjects/any-value").exchange().expectStatus().isUnauthorized();
    anonymous
        .delete()
        .uri("/subjects/any-value/versions/1")
        .exchange()
        .expectStatus()
        .isUnauthorized();
    anonymous
        .put()
        .uri("/config")
        .contentType(JSON)
        .bodyValue("{\"compatibility\":\"NONE\"}")
        .exchange()
        .expectStatus()
        .isUnauthorized();
    anonymous
        .put()
        .uri("/config/any-value")
        .contentType(JSON)
        .bodyValue("{\"compatibility\":\"NONE\"}")
        .exchange()
        .expectStatus()
        .isUnauthorized();
    anonymous.delete().uri("/config/any-value").exchange().expectStatus().isUnauthorized();
  }

  @Test
  void theWriterRegistersAndEveryoneReads() {
    writer
        .post()
        .uri("/subjects/readable-value/versions")
        .contentType(JSON)
        .bodyValue(body(SCHEMA))
        .exchange()
        .expectStatus()
        .isOk();

    anonymous.get().uri("/subjects/readable-value/versions").exchange().expectStatus().isOk();
    anonymous
        .get()
        .uri("/subjects/readable-value/versions/latest")
        .exchange()
        .expectStatus()
        .isOk();
    anonymous.get().uri("/config").exchange().expectStatus().isOk();
    anonymous
        .post()
        .uri("/subjects/readable-value")
        .contentType(JSON)
        .bodyValue(body(SCHEMA))
        .exchange()
        .expectStatus()
        .isOk();
    anonymous.get().uri("/actuator/health").exchange().expectStatus().isOk();
  }

  @Test
  void unknownRoutesAreRefusedButTheAssociationsProbeStillAnswers404() {
    anonymous.get().uri("/associations/subjects/x").exchange().expectStatus().isNotFound();
    anonymous.get().uri("/actuator/env").exchange().expectStatus().isUnauthorized();
    anonymous.post().uri("/something-else").exchange().expectStatus().isUnauthorized();
  }
}

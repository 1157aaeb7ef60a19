package dev.signet.registry.log;

import static dev.signet.registry.support.Schemas.body;
import static dev.signet.registry.support.Schemas.field;
import static dev.signet.registry.support.Schemas.fieldWithDefault;
import static dev.signet.registry.support.Schemas.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.registry.support.RunningRegistry;
import dev.signet.registry.support.TestBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The registry state lives in the Kafka topic only: restarts, topic format, start-up gating. */
class SchemaLogIT {

  private static final MediaType V1 =
      MediaType.parseMediaType("application/vnd.schemaregistry.v1+json");

  @Test
  void aRestartedRegistryAnswersTheSameIdsAndNeverReusesOne() {
    String topic = "_schemas_restart";
    String orderV1 = record("Order", field("id", "string"));
    String orderV2 = record("Order", field("id", "string"), fieldWithDefault("total", "long", "0"));
    String payment = record("Payment", field("amount", "long"));
    String refund = record("Refund", field("amount", "long"));
    int orderV1Id;
    int orderV2Id;
    int paymentId;
    int refundId;

    try (RunningRegistry first = RunningRegistry.start(TestBroker.bootstrap(), topic)) {
      WebTestClient client = first.awaitHealthy().client();
      orderV1Id = register(client, "order-value", orderV1);
      orderV2Id = register(client, "order-value", orderV2);
      paymentId = register(client, "payment-value", payment);
      refundId = register(client, "refund-value", refund);
      client
          .put()
          .uri("/config/payment-value")
          .contentType(V1)
          .bodyValue("{\"compatibility\":\"FULL\"}")
          .exchange()
          .expectStatus()
          .isOk();
      client.delete().uri("/subjects/refund-value").exchange().expectStatus().isOk();
    }

    try (RunningRegistry second = RunningRegistry.start(TestBroker.bootstrap(), topic)) {
      WebTestClient client = second.awaitHealthy().client();

      assertThat(versionId(client, "order-value", 1)).isEqualTo(orderV1Id);
      assertThat(versionId(client, "order-value", 2)).isEqualTo(orderV2Id);
      assertThat(versionId(client, "payment-value", 1)).isEqualTo(paymentId);
      assertThat(register(client, "order-value", orderV2)).isEqualTo(orderV2Id);
      client
          .get()
          .uri("/schemas/ids/{id}", refundId)
          .exchange()
          .expectBody()
          .jsonPath("$.schema")
          .isEqualTo(refund);
      client
          .get()
          .uri("/subjects")
          .exchange()
          .expectBody()
          .json("[\"order-value\",\"payment-value\"]");
      client
          .get()
          .uri("/config/payment-value")
          .exchange()
          .expectBody()
          .json("{\"compatibilityLevel\":\"FULL\"}");
      int next =
          register(
              client,
              "order-value",
              record(
                  "Order",
                  field("id", "string"),
                  fieldWithDefault("total", "long", "0"),
                  fieldWithDefault("note", "string", "\"\"")));
      assertThat(next).isEqualTo(refundId + 1);
    }
  }

  @Test
  void storesSchemasLikeConfluentInACompactedSinglePartitionTopic() throws Exception {
    String topic = "_schemas_format";
    String schema = record("Format", field("x", "int"));
    int id;
    try (RunningRegistry registry = RunningRegistry.start(TestBroker.bootstrap(), topic)) {
      id = register(registry.awaitHealthy().client(), "format-value", schema);
    }

    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrap()))) {
      assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
          .hasSize(1);
      Config config =
          admin
              .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
              .all()
              .get()
              .values()
              .iterator()
              .next();
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }
    List<ConsumerRecord<String, String>> records = readAll(topic);
    assertThat(records).hasSize(1);
    assertThat(records.get(0).key())
        .isEqualTo(
            "{\"keytype\":\"SCHEMA\",\"subject\":\"format-value\",\"version\":1,\"magic\":1}");
    assertThat(records.get(0).value())
        .isEqualTo(
            "{\"subject\":\"format-value\",\"version\":1,\"id\":"
                + id
                + ",\"schema\":"
                + "\""
                + schema.replace("\"", "\\\"")
                + "\",\"deleted\":false}");
  }

  @Test
  void staysOutOfServiceAndRefusesRequestsWhileKafkaIsUnreachable() throws IOException {
    String unreachable;
    try (ServerSocket socket = new ServerSocket(0)) {
      unreachable = "127.0.0.1:" + socket.getLocalPort();
    }

    try (RunningRegistry registry =
        RunningRegistry.start(
            unreachable, "_schemas", Map.of("signet.registry.ready-timeout", "500ms"))) {
      WebTestClient client = registry.client();

      client
          .get()
          .uri("/actuator/health")
          .exchange()
          .expectStatus()
          .isEqualTo(503)
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("OUT_OF_SERVICE");
      client
          .get()
          .uri("/subjects")
          .exchange()
          .expectStatus()
          .isEqualTo(503)
          .expectBody()
          .jsonPath("$.error_code")
          .isEqualTo(50002);
    }
  }

  private static int register(WebTestClient client, String subject, String schema) {
    Map<String, Object> response =
        client
            .post()
            .uri("/subjects/{subject}/versions", subject)
            .contentType(V1)
            .bodyValue(body(schema))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    return ((Number) response.get("id")).intValue();
  }

  private static int versionId(WebTestClient client, String subject, int version) {
    Map<String, Object> response =
        client
            .get()
            .uri("/subjects/{subject}/versions/{version}", subject, version)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
            .returnResult()
            .getResponseBody();
    return ((Number) response.get("id")).intValue();
  }

  private static List<ConsumerRecord<String, String>> readAll(String topic) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrap());
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    TopicPartition partition = new TopicPartition(topic, 0);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}

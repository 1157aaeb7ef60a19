package dev.signet.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Under the production profile's logging (one Elastic Common Schema JSON object per line), a line
 * written while a request is handled carries the request's trace and span ids as fields.
 */
@SpringBootTest(
    classes = TracingIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SIGNET_TRACING_SAMPLING=1.0",
      "logging.structured.format.console=ecs",
      "spring.main.banner-mode=off"
    })
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogTraceIT {

  @LocalServerPort int port;

  @Test
  void aJsonLogLineCarriesTheTraceAndSpanIdsOfTheRequest(CapturedOutput output) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/handled"))
                    .header("traceparent", TracingIT.TRACEPARENT)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);

    ObjectMapper json = new ObjectMapper();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String line =
                  output
                      .getAll()
                      .lines()
                      .filter(l -> l.contains("handled in a span"))
                      .findFirst()
                      .orElseThrow();
              JsonNode fields = json.readTree(line);
              assertThat(fields.path("traceId").asText()).as(line).isEqualTo(TracingIT.TRACE_ID);
              assertThat(fields.path("spanId").asText()).as(line).matches("[0-9a-f]{16}");
            });
  }
}

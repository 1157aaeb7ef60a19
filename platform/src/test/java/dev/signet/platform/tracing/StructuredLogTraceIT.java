package dev.signet.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The production profile's JSON log lines (Elastic Common Schema, as every service's {@code
 * application-production.yml} sets it) carry the trace and span ids as members of their own.
 */
@SpringBootTest(
    classes = TracingIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration,"
          + "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration,"
          + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration,"
          + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration",
      "logging.structured.format.console=ecs"
    })
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogTraceIT {

  @LocalServerPort int port;

  @Test
  void jsonLogLinesCarryTheTraceAndSpanIds(CapturedOutput output) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/handled"))
                    .header("traceparent", TracingIT.TRACEPARENT)
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(output.getAll().lines().filter(line -> line.contains("handled in a span")))
        .singleElement()
        .asString()
        .startsWith("{")
        .contains("\"traceId\":\"" + TracingIT.TRACE_ID + "\"")
        .containsPattern("\"spanId\":\"[0-9a-f]{16}\"");
  }
}

package dev.signet.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The platform's tracing in a real server with Boot's OpenTelemetry tracer, its spans caught by an
 * exporter of the test's own: a request continues the caller's trace, its log line carries the
 * trace and span ids, the outbox hand-off continues the trace after the request, health probes are
 * not traced, and a failure whose message quotes a phone number and a code leaves neither in any
 * exported span.
 */
@SpringBootTest(
    classes = TracingIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SIGNET_TRACING_SAMPLING=1.0",
      "management.opentelemetry.tracing.export.schedule-delay=50ms",
      "management.endpoints.web.exposure.include=health"
    })
@ExtendWith(OutputCaptureExtension.class)
class TracingIT {

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
  static final String PHONE = "+447700900123";
  static final String CODE = "482915";

  /** The platform in a web server of its own, without a store (the tests need none). */
  @SpringBootConfiguration
  @EnableAutoConfiguration(
      excludeName = {
        "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration",
        "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
        "org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration",
        "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration"
      })
  @EnableWebFluxSecurity
  static class App {

    @Bean
    CapturingExporter capturingExporter() {
      return new CapturingExporter();
    }

    @Bean
    SecurityWebFilterChain chain(ServerHttpSecurity http) {
      return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
          .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
          .build();
    }

    @Bean
    Routes routes(TraceHandoff traces) {
      return new Routes(traces);
    }
  }

  @RestController
  static class Routes {

    private static final Logger log = LoggerFactory.getLogger(Routes.class);
    private final TraceHandoff traces;

    Routes(TraceHandoff traces) {
      this.traces = traces;
    }

    @GetMapping("/handled")
    Mono<String> handled() {
      return Mono.fromSupplier(
          () -> {
            log.info("handled in a span");
            // What the outbox stores with an event, continued later on another thread.
            String stored = traces.current();
            CompletableFuture.runAsync(
                () ->
                    traces.resumed(
                        stored, "outbox publish", () -> CompletableFuture.completedFuture("sent")));
            return stored;
          });
    }

    @GetMapping("/failing")
    Mono<String> failing() {
      return Mono.error(
          new IllegalStateException(
              "duplicate key { phone: \"" + PHONE + "\", code: " + CODE + " }"));
    }
  }

  /** Keeps every exported span. */
  static class CapturingExporter implements SpanExporter {

    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @LocalServerPort int port;
  @Autowired CapturingExporter exported;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void forgetEarlierSpans() {
    exported.spans.clear();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("traceparent", TRACEPARENT)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRequestContinuesTheCallersTraceInItsSpansItsLogLinesAndItsOutboxHandOff(
      CapturedOutput output) throws Exception {
    HttpResponse<String> response = get("/handled");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("00-" + TRACE_ID + "-").endsWith("-01");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(exported.spans)
                    .extracting(SpanData::getName)
                    .contains("http get /handled", "outbox publish"));
    assertThat(exported.spans).allMatch(span -> span.getTraceId().equals(TRACE_ID));
    // The line names the trace and one of its recorded spans (the request's, or one inside it).
    String line =
        output
            .getAll()
            .lines()
            .filter(l -> l.contains("handled in a span"))
            .findFirst()
            .orElseThrow();
    Matcher ids = Pattern.compile("\\[" + TRACE_ID + "-([0-9a-f]{16})\\]").matcher(line);
    assertThat(ids.find()).as(line).isTrue();
    assertThat(exported.spans).extracting(SpanData::getSpanId).contains(ids.group(1));
  }

  @Test
  void healthProbesAreNotTraced() throws Exception {
    assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
    get("/handled");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(exported.spans)
                    .extracting(SpanData::getName)
                    .contains("http get /handled"));
    assertThat(exported.spans)
        .extracting(SpanData::getName)
        .noneMatch(name -> name.contains("actuator"));
  }

  @Test
  void aFailureQuotingANumberAndACodeLeavesNeitherInAnyExportedSpan(CapturedOutput output)
      throws Exception {
    assertThat(get("/failing").statusCode()).isEqualTo(500);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(exported.spans).isNotEmpty());
    for (SpanData span : exported.spans) {
      String everything =
          span.getName()
              + span.getAttributes()
              + span.getStatus()
              + span.getEvents()
              + span.getEvents().stream().map(e -> e.getAttributes().toString()).toList();
      assertThat(everything).doesNotContain(PHONE.substring(1)).doesNotContain(CODE);
    }
    assertThat(exported.spans)
        .anyMatch(span -> span.getStatus().getStatusCode() == StatusCode.ERROR);
  }
}

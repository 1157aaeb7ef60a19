package dev.signet.platform.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service with warm-up calls reports ready only after it has answered each of them {@code rounds}
 * times, and its request log keeps them out of INFO; a request that sends the warm-up header
 * without this process's token is logged like any other.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
    classes = WarmUpIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "signet.warmup.rounds=40",
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration,"
          + "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration,"
          + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration,"
          + "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration"
    })
class WarmUpIT {

  static final AtomicInteger CALLS = new AtomicInteger();
  static final AtomicInteger CALLS_WHEN_READY = new AtomicInteger(-1);

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableWebFluxSecurity
  static class App {

    @Bean
    SecurityWebFilterChain chain(ServerHttpSecurity http) {
      return http.authorizeExchange(a -> a.anyExchange().permitAll())
          .csrf(ServerHttpSecurity.CsrfSpec::disable)
          .build();
    }

    @Bean
    WarmUpCall lookup() {
      return new WarmUpCall("GET", "/v1/things/unknown", java.util.Map.of(), null);
    }

    @Bean
    Things things() {
      return new Things();
    }

    @EventListener
    void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
      if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
        CALLS_WHEN_READY.set(CALLS.get());
      }
    }
  }

  @RestController
  static class Things {
    @GetMapping("/v1/things/unknown")
    String unknown() {
      CALLS.incrementAndGet();
      return "{}";
    }
  }

  @LocalServerPort int port;
  @Autowired WarmUpSettings settings;

  @Test
  void theServiceReportsReadyOnlyAfterEveryWarmUpCallWasAnsweredEachRound(CapturedOutput output) {
    assertThat(settings.rounds()).isEqualTo(40);
    assertThat(CALLS_WHEN_READY.get()).isEqualTo(40);
    assertThat(output).contains("warm-up done requests=40 of=40 statuses={200=40}");
    assertThat(output).doesNotContain("path=/v1/things/unknown");
  }

  @Test
  void aRequestWithTheHeaderButNotThisProcesssTokenIsLoggedAsUsual(CapturedOutput output)
      throws Exception {
    HttpResponse<Void> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/things/unknown"))
                    .header(WarmUp.HEADER, "0123456789abcdef0123456789abcdef")
                    .build(),
                HttpResponse.BodyHandlers.discarding());

    assertThat(response.statusCode()).isEqualTo(200);
    // The log line is written as the exchange completes, which may be after the answer arrived.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(output).contains("path=/v1/things/unknown status=200"));
  }
}

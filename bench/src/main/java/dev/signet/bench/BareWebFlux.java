package dev.signet.bench;

import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The HTTP ceiling: a bare WebFlux endpoint on Reactor Netty (the services' stack, without Spring
 * Boot, security, validation, Mongo or Kafka) that reads the request body and answers a
 * challenge-shaped JSON. It runs inside the harness JVM on an ephemeral port.
 */
final class BareWebFlux implements AutoCloseable {

  private static final String ANSWER =
      "{\"challengeId\":\"bare-webflux-ceiling-000000\",\"idempotencyKey\":\"bare\",\"expiresAt\":0}";

  private final DisposableServer server;

  BareWebFlux() {
    RouterFunction<ServerResponse> routes =
        RouterFunctions.route(
            RequestPredicates.POST("/v1/challenge"),
            request ->
                request
                    .bodyToMono(String.class)
                    .flatMap(
                        body ->
                            ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(ANSWER)));
    server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(routes)))
            .bindNow();
  }

  String url() {
    return "http://127.0.0.1:" + server.port() + "/v1/challenge";
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}

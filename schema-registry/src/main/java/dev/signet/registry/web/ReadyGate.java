package dev.signet.registry.web;

import static dev.signet.registry.web.RegistryJson.error;
import static dev.signet.registry.web.RegistryJson.json;

import dev.signet.registry.RegistryProperties;
import dev.signet.registry.log.KafkaSchemaLog;
import dev.signet.registry.schema.RegistryError;
import dev.signet.registry.schema.SchemaLogException;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Every request waits until the schema log has been read to its end (503 after the ready timeout),
 * so an answer never reflects half the log; writes run off the event loop because they block until
 * Kafka has acknowledged them and the write has been read back.
 */
@Component
class ReadyGate {

  private final KafkaSchemaLog schemaLog;
  private final Duration readyTimeout;

  ReadyGate(KafkaSchemaLog schemaLog, RegistryProperties properties) {
    this.schemaLog = schemaLog;
    this.readyTimeout = properties.readyTimeout();
  }

  /** A read of the in-memory state, answered once the log has been read to its end. */
  Mono<ServerResponse> read(ServerRequest request, Callable<Outcome> operation) {
    return whenReady(request, Mono.fromCallable(operation));
  }

  /** A write blocks on Kafka, so it runs on the bounded elastic scheduler, not the event loop. */
  Mono<ServerResponse> write(ServerRequest request, Callable<Outcome> operation) {
    return whenReady(
        request, Mono.fromCallable(operation).subscribeOn(Schedulers.boundedElastic()));
  }

  private Mono<ServerResponse> whenReady(ServerRequest request, Mono<Outcome> operation) {
    return Mono.fromFuture(schemaLog.caughtUp(), true)
        .timeout(readyTimeout)
        .then(operation)
        .flatMap(
            outcome ->
                outcome.error() != null
                    ? error(request, outcome.error())
                    : json(request, 200, outcome.body()))
        .onErrorResume(
            java.util.concurrent.TimeoutException.class,
            e ->
                error(
                    request,
                    new RegistryError(
                        503,
                        50002,
                        "The registry has not finished reading topic " + schemaLog.topic())))
        .onErrorResume(
            SchemaLogException.class,
            e ->
                error(
                    request,
                    e.isTimeout()
                        ? RegistryError.timeout(e.getMessage())
                        : RegistryError.storeError(e.getMessage())));
  }
}

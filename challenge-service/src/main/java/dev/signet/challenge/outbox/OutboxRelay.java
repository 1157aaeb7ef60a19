package dev.signet.challenge.outbox;

import dev.signet.challenge.config.ChallengeProperties;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Periodically publishes events that the request path could not (crash, broker down). Safe on
 * several instances at once: a duplicate publish carries the same event id and consumers dedupe.
 */
@Component
class OutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  static final List<String> COLLECTIONS =
      List.of("challenges", "users", "actions", "send_refusals", "sessions");

  private final Outbox outbox;
  private final ChallengeProperties properties;

  OutboxRelay(Outbox outbox, ChallengeProperties properties) {
    this.outbox = outbox;
    this.properties = properties;
  }

  @Scheduled(fixedDelayString = "${signet.challenge.relay-interval:1s}")
  void relay() {
    Flux.fromIterable(COLLECTIONS)
        .concatMap(c -> outbox.relayLeftovers(c, properties.relayGrace(), 200))
        .reduce(0L, Long::sum)
        .doOnNext(
            count -> {
              if (count > 0) {
                log.info("outbox relay published leftovers count={}", count);
              }
            })
        .onErrorResume(
            e -> {
              log.warn("outbox relay failed reason={}", e.toString());
              return Mono.empty();
            })
        // Runs on the scheduler thread, never a reactive one; waiting keeps runs from overlapping.
        .block(Duration.ofMinutes(1));
  }
}

package dev.signet.sms.outbox;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Periodically publishes events that the send path could not (crash, broker down). Safe on several
 * instances at once: a duplicate publish carries the same event id and consumers dedupe.
 */
@Component
class OutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** Collections whose documents carry an outbox array. */
  static final List<String> COLLECTIONS = List.of("sms_attempts", "sms_receipts");

  private final Outbox outbox;
  private final Duration grace;

  OutboxRelay(Outbox outbox, @Value("${signet.sms.relay-grace:5s}") Duration grace) {
    this.outbox = outbox;
    this.grace = grace;
  }

  @Scheduled(fixedDelayString = "${signet.sms.relay-interval:1s}")
  void relay() {
    Flux.fromIterable(COLLECTIONS)
        .concatMap(c -> outbox.relayLeftovers(c, grace, 200))
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

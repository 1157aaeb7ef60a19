package dev.signet.challenge.session;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deletes sessions and refresh tokens a day after they ended. Spent refresh tokens are kept until
 * then so that a replay is still recognised as reuse (and revokes its session) rather than read as
 * an unknown token. Safe on several instances at once: deleting twice deletes nothing more.
 */
@Component
class SessionRetention {

  private static final Logger log = LoggerFactory.getLogger(SessionRetention.class);

  /** Long after every token of the session expired, its events long published. */
  static final Duration RETENTION = Duration.ofDays(1);

  private final SessionStore store;
  private final Clock clock;

  /** Set while a run is in flight, so runs never overlap (the scheduler thread does not wait). */
  private final AtomicBoolean running = new AtomicBoolean();

  SessionRetention(SessionStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${signet.challenge.session.retention-interval:10m}")
  void run() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    store
        .purgeEndedBefore(clock.instant().minus(RETENTION))
        .doOnNext(
            count -> {
              if (count > 0) {
                log.info("ended sessions and refresh tokens deleted count={}", count);
              }
            })
        .timeout(Duration.ofMinutes(1))
        .onErrorResume(
            e -> {
              log.warn("session retention failed reason={}", e.toString());
              return Mono.empty();
            })
        .doFinally(signal -> running.set(false))
        .subscribe();
  }
}

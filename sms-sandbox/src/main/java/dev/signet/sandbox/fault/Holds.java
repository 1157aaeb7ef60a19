package dev.signet.sandbox.fault;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The sends the {@link FaultMode#SLOW} fault holds: no thread waits, the answer is produced when
 * the hold ends. Counts what is held now, what was held since start-up and what became of the sends
 * whose client disconnected during the hold, and keeps the last {@value #KEPT} held sends (their
 * client reference and fate), so a test can act while calls are in flight and tell afterwards which
 * message was taken and which dropped.
 */
final class Holds {

  private static final Logger log = LoggerFactory.getLogger(Holds.class);
  static final int KEPT = 1000;

  private final AtomicInteger holding = new AtomicInteger();
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong clientGoneAccepted = new AtomicLong();
  private final AtomicLong clientGoneDropped = new AtomicLong();
  private final Deque<Held> recent = new ArrayDeque<>();

  /** What became of a held send. */
  enum Fate {
    /** Still held. */
    HOLDING,
    /** Taken when the hold ended, and its client got the answer. */
    ANSWERED,
    /** Taken when the hold ended though its client had disconnected. */
    TAKEN_CLIENT_GONE,
    /** Dropped because its client disconnected: never delivered. */
    DROPPED;

    @com.fasterxml.jackson.annotation.JsonValue
    String json() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * The answer of a held send: {@code answer} (which takes the message) runs when {@code slow}'s
   * hold ends. A client that disconnects first cancels the returned answer; the message is then
   * taken all the same ({@code accept}) or never ({@code drop}).
   *
   * @param clientRef the send's client reference, shown in {@link #sends()}; may be null
   * @param to the destination, E.164, shown in {@link #sends()}
   */
  <T> Mono<T> hold(Slow slow, String clientRef, String to, Supplier<Mono<T>> answer) {
    return Mono.defer(
        () -> {
          Held one = remember(new Held(clientRef, to, slow));
          log.info(
              "send held holdMs={} clientGone={}",
              slow.hold().toMillis(),
              slow.clientGone().json());
          Mono<T> taken =
              Mono.delay(slow.hold())
                  .flatMap(
                      tick -> {
                        if (!one.end(one.clientGone ? Fate.TAKEN_CLIENT_GONE : Fate.ANSWERED)) {
                          return Mono.empty();
                        }
                        if (one.fate == Fate.TAKEN_CLIENT_GONE) {
                          clientGoneAccepted.incrementAndGet();
                          log.info("held send taken though its client went away");
                        }
                        return answer.get();
                      });
          if (slow.clientGone() == Slow.ClientGone.DROP) {
            return taken.doOnCancel(
                () -> {
                  if (one.end(Fate.DROPPED)) {
                    clientGoneDropped.incrementAndGet();
                    log.info("held send dropped: its client went away");
                  }
                });
          }
          // Taken whether or not the client stays: the hold runs on its own subscription, the
          // client's answer is a view of it that the client may cancel.
          Mono<T> shared = taken.cache();
          shared.subscribe(
              ignored -> {}, e -> log.warn("held send failed reason={}", e.toString()));
          return shared.doOnCancel(() -> one.clientGone = true);
        });
  }

  private synchronized Held remember(Held one) {
    holding.incrementAndGet();
    held.incrementAndGet();
    recent.addFirst(one);
    if (recent.size() > KEPT) {
      recent.removeLast();
    }
    return one;
  }

  State state() {
    return new State(holding.get(), held.get(), clientGoneAccepted.get(), clientGoneDropped.get());
  }

  /** The last held sends, newest first. */
  synchronized List<Send> sends() {
    return recent.stream()
        .map(h -> new Send(h.clientRef, h.to, h.slow.holdMs(), h.slow.clientGone(), h.fate))
        .toList();
  }

  /** One held send; it ends once, answered, taken after its client went away, or dropped. */
  private final class Held {
    private final String clientRef;
    private final String to;
    private final Slow slow;
    private final AtomicInteger ended = new AtomicInteger();
    volatile Fate fate = Fate.HOLDING;
    volatile boolean clientGone;

    Held(String clientRef, String to, Slow slow) {
      this.clientRef = clientRef;
      this.to = to;
      this.slow = slow;
    }

    boolean end(Fate how) {
      if (ended.compareAndSet(0, 1)) {
        fate = how;
        holding.decrementAndGet();
        return true;
      }
      return false;
    }
  }

  /**
   * The holds in {@code GET /faults}.
   *
   * @param holding sends held right now, their answer not given yet
   * @param held sends held since start-up
   * @param clientGoneAccepted held sends taken at the end of their hold though their client had
   *     disconnected ({@code clientGone: accept})
   * @param clientGoneDropped held sends dropped because their client disconnected ({@code
   *     clientGone: drop})
   */
  public record State(int holding, long held, long clientGoneAccepted, long clientGoneDropped) {}

  /**
   * One held send in {@code GET /faults/holds}.
   *
   * @param clientRef its client reference (SMS API {@code client-ref}, Messages API {@code
   *     client_ref}, the {@code clientRef} of a Twilio status callback URL), if any
   * @param to its destination, E.164
   * @param holdMs how long it was held
   * @param clientGone what the fault does if its client goes away: accept or drop
   * @param fate holding, answered, taken-client-gone or dropped
   */
  public record Send(
      String clientRef, String to, long holdMs, Slow.ClientGone clientGone, Fate fate) {}
}

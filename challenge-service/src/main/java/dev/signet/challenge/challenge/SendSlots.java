package dev.signet.challenge.challenge;

import dev.signet.challenge.outcome.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The per-phone send limit without a write of its own. Every send takes a numbered slot {@code
 * <phone>|<window start>|<n>}, n from 1 to the limit, stored in the sending challenge's {@code
 * sendSlots} array under a unique index. The insert or resend update that carries the slot is
 * therefore the limit check: a slot another send took fails that write with a duplicate key, a free
 * one is looked up and tried, and when none is left the send is refused. The unique index makes the
 * limit hold under any concurrency and across instances, like the counters it replaces, at one
 * MongoDB write per send instead of two. Windows are fixed, like the other limits.
 */
final class SendSlots {

  /** Name of the unique index; a duplicate-key error naming it is a taken slot. */
  static final String INDEX = "sendSlots_unique";

  private final int max;
  private final Duration window;

  SendSlots(int max, Duration window) {
    if (max < 1) {
      throw new IllegalArgumentException("the per-phone send limit must be at least 1");
    }
    this.max = max;
    this.window = window;
  }

  /** The window a send at {@code now} falls into, and the slot keys of a phone in it. */
  Window windowAt(String phoneNumber, Instant now) {
    long seconds = window.toSeconds();
    long start = now.getEpochSecond() / seconds * seconds;
    List<String> keys =
        IntStream.rangeClosed(1, max).mapToObj(n -> phoneNumber + "|" + start + "|" + n).toList();
    return new Window(keys, Instant.ofEpochSecond(start + seconds));
  }

  /** The slot keys of one phone in one window, in the order they are handed out. */
  record Window(List<String> keys, Instant end) {

    String first() {
      return keys.get(0);
    }

    /** The lowest slot not in {@code taken}, or empty when the limit is reached. */
    Optional<String> firstFree(Set<String> taken) {
      return keys.stream().filter(key -> !taken.contains(key)).findFirst();
    }

    long secondsLeft(Instant now) {
      return Math.max(1, Duration.between(now, end).toSeconds());
    }

    /** The per-phone send limit refused: every slot of the window is taken. */
    Refusal exhausted(Instant now) {
      return new Refusal.TooManyRequests(
          "Too many codes sent to this phone number; try again later.", secondsLeft(now));
    }
  }
}

package dev.signet.localstack;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When the launcher restarts a component that exited on its own: after 1 s, then 2, 4, 8 and 16 s
 * for each further crash within {@link #STABLE} of its previous restart; a component that crashes
 * {@link #MAX_IN_A_ROW} times in a row that way is given up on, and the stack stops, since
 * restarting it again would only hide what is wrong. A component that ran longer than {@link
 * #STABLE} starts counting afresh.
 */
final class RestartPolicy {

  static final int MAX_IN_A_ROW = 5;
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration STABLE = Duration.ofMinutes(2);

  /** The decision for one crash: the delay and which restart in a row it is. */
  record Restart(Duration delay, int inARow) {}

  private record History(int inARow, Instant lastRestart) {}

  private final Map<String, History> histories = new HashMap<>();

  /** What to do about {@code component} exiting at {@code now}; empty: give up. */
  synchronized Optional<Restart> onExit(Component component, Instant now) {
    return onExit(component.id(), now);
  }

  /** As above for one process by its name (each instance counts on its own). */
  synchronized Optional<Restart> onExit(String name, Instant now) {
    History last = histories.get(name);
    int inARow =
        last == null || Duration.between(last.lastRestart(), now).compareTo(STABLE) > 0
            ? 1
            : last.inARow() + 1;
    if (inARow > MAX_IN_A_ROW) {
      return Optional.empty();
    }
    histories.put(name, new History(inARow, now));
    return Optional.of(new Restart(FIRST_DELAY.multipliedBy(1L << (inARow - 1)), inARow));
  }
}

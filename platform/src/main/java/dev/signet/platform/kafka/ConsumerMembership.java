package dev.signet.platform.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a service's listener containers belong to their consumer groups: as static members (a stable
 * {@code group.instance.id} per instance and listener) with a short session timeout. A replaced or
 * restarted instance that presents the same id takes over its partitions at once, without waiting
 * for the session of the process it replaces to expire; an instance that dies and is not replaced
 * loses its partitions to the others after {@code sessionTimeout}; a graceful stop leaves the group
 * at once ({@link LeavingConsumer}).
 *
 * @param instanceId the stable name of this instance, unique among the instances of the service
 * @param sessionTimeout how long a silent member keeps its partitions
 */
public record ConsumerMembership(String instanceId, Duration sessionTimeout) {

  /** Works with any broker's default bounds ({@code group.min.session.timeout.ms} is 6 s). */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(6);

  /** Instance ids taken in this JVM: a second application context gets its own. */
  private static final Set<String> TAKEN = ConcurrentHashMap.newKeySet();

  public ConsumerMembership {
    if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
      throw new IllegalArgumentException("signet.kafka.session-timeout must be positive");
    }
    if (!instanceId.matches("[A-Za-z0-9._-]{1,200}")) {
      throw new IllegalArgumentException(
          "signet.kafka.instance-id must be 1-200 letters, digits, '.', '_' or '-'");
    }
  }

  /**
   * The membership of this process: {@code configured} when set, otherwise {@code <host>-<port>},
   * which differs between two instances on one host and stays the same when an instance is
   * restarted in place. Without a fixed port (tests) it is random, and a second application context
   * in the same JVM gets a suffix, so two contexts never fence each other.
   */
  public static ConsumerMembership of(String configured, int serverPort, Duration sessionTimeout) {
    String base =
        configured != null && !configured.isBlank()
            ? configured.trim()
            : sanitise(hostName())
                + "-"
                + (serverPort > 0 ? Integer.toString(serverPort) : UUID.randomUUID().toString());
    String id = base;
    for (int n = 2; !TAKEN.add(id); n++) {
      id = base + "-" + n;
    }
    return new ConsumerMembership(id, sessionTimeout);
  }

  /** Gives this instance id back (its application context closed). */
  void release() {
    TAKEN.remove(instanceId);
  }

  /** The {@code group.instance.id} of one listener container (its concurrent children add -n). */
  public String groupInstanceId(String listenerId) {
    return instanceId + "-" + sanitise(listenerId);
  }

  /**
   * A sixth of the session (1 s at 6 s): several lost heartbeats do not end a session, and a member
   * learns of a rebalance (a peer left or died) within a second, which is what bounds a hand-over.
   */
  public Duration heartbeatInterval() {
    return sessionTimeout.dividedBy(6);
  }

  private static String hostName() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  static String sanitise(String text) {
    String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    return s.isEmpty() ? "instance" : s.substring(0, Math.min(s.length(), 100));
  }
}

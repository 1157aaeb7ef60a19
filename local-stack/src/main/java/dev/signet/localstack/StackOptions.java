package dev.signet.localstack;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of the launcher. {@code --no-build} belongs to the {@code ./run} script and
 * is accepted here too so that it can be passed through harmlessly.
 */
record StackOptions(
    Path dataDir,
    boolean inMemory,
    int portOffset,
    boolean quiet,
    Set<Component> components,
    Duration httpTimeout,
    List<String> serviceJavaOptions,
    List<String> mongoJavaOptions,
    String bindAddress,
    String fictionalNumberPrefixes,
    String webOtpDomain,
    Topology topology,
    boolean help) {

  /** Whether this is a cluster-mode stack (several brokers and instances). */
  boolean cluster() {
    return topology.isCluster();
  }

  static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(180);

  /** Loopback: a local stack is reachable from this machine only unless asked otherwise. */
  static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

  /**
   * Ofcom's 07700 900xxx drama range, which the sandbox's phones use. challenge-service accepts no
   * fictional range unless told to, so the local stack tells it.
   */
  static final String DEFAULT_FICTIONAL_NUMBER_PREFIXES = "+4477009";

  static final String FICTIONAL_NUMBER_PREFIXES_ENV = "SIGNET_FICTIONAL_NUMBER_PREFIXES";

  /**
   * sms-dispatcher's WebOTP host ({@code signet.sms.web-otp-domain}): the launcher sets it to the
   * host the hosted page is served on, unless the environment already names one (blank: no line).
   */
  static final String WEB_OTP_DOMAIN_ENV = "SIGNET_SMS_WEBOTP_DOMAIN";

  static final String USAGE =
      """
      Usage: ./run [options]

        --in-memory          throwaway run: Mongo in memory, Kafka and component data in a
                             temporary folder deleted on stop (logs and secrets are kept)
        --data-dir DIR       data folder (default: $SIGNET_DATA_DIR, else .signet/ at the repo root)
        --port-offset N      add N to every port (Kafka 9092/9093, Mongo 27017, HTTP 8080-8090)
        --only a,b,...       start only these components: %s
        --quiet              write component output to the log files only
        --timeout SECONDS    start-up timeout of each HTTP component (default: %d)
        --bind-address ADDR  IP address every component listens on (default: %s, this
                             machine only; 0.0.0.0 or :: for every interface)
        --cluster            three Kafka brokers (replication factor 3, min.insync.replicas 2)
                             and two instances of each service behind round-robin entry points
        --instances N        N instances of each service behind the entry points (default: 2
                             with --cluster, else 1), with one broker unless --cluster
        --no-build           (./run only) skip the Maven build and use the jars as they are
        --help               print this help

      Environment: SIGNET_DATA_DIR, SIGNET_API_SECRET, SIGNET_MANAGEMENT_SECRET (override the
      generated secrets), SIGNET_STACK_JAVA_OPTS (extra JVM options for the HTTP components),
      SIGNET_STACK_MONGO_JAVA_OPTS (extra JVM options for the MongoDB-wire server),
      SIGNET_FICTIONAL_NUMBER_PREFIXES (phone prefixes challenge-service accepts for the sandbox;
      default: %s), SIGNET_TEST_NUMBERS (test numbers with a fixed code; default: none).
      """
          .formatted(
              Component.ids(),
              DEFAULT_HTTP_TIMEOUT.toSeconds(),
              DEFAULT_BIND_ADDRESS,
              DEFAULT_FICTIONAL_NUMBER_PREFIXES);

  /** Extra JVM options for the HTTP components, e.g. a debugger agent or a bigger heap. */
  static final String JAVA_OPTS_ENV = "SIGNET_STACK_JAVA_OPTS";

  /** Extra JVM options for the MongoDB-wire server, e.g. another collector for benchmarks. */
  static final String MONGO_JAVA_OPTS_ENV = "SIGNET_STACK_MONGO_JAVA_OPTS";

  StackOptions {
    components = Collections.unmodifiableSet(EnumSet.copyOf(components));
    serviceJavaOptions = List.copyOf(serviceJavaOptions);
    mongoJavaOptions = List.copyOf(mongoJavaOptions);
  }

  /**
   * Parses the arguments; {@code env} supplies {@code SIGNET_DATA_DIR}, {@code repoRoot} the
   * default data folder.
   *
   * @throws IllegalArgumentException with a message fit for the user on any invalid option
   */
  static StackOptions parse(List<String> args, Map<String, String> env, Path repoRoot) {
    Path dataDir = defaultDataDir(env, repoRoot);
    boolean inMemory = false;
    int portOffset = 0;
    boolean quiet = false;
    Set<Component> components = EnumSet.allOf(Component.class);
    Duration timeout = DEFAULT_HTTP_TIMEOUT;
    String bindAddress = DEFAULT_BIND_ADDRESS;
    boolean help = false;
    boolean cluster = false;
    int instances = 0;

    Iterator<String> it = expandEquals(args).iterator();
    while (it.hasNext()) {
      String arg = it.next();
      switch (arg) {
        case "--in-memory" -> inMemory = true;
        case "--quiet" -> quiet = true;
        case "--no-build" -> {
          // handled by ./run
        }
        case "--help", "-h" -> help = true;
        case "--cluster" -> cluster = true;
        case "--instances" -> instances = integer(value(it, arg), arg, 1, 12);
        case "--data-dir" -> dataDir = Path.of(value(it, arg));
        case "--port-offset" -> portOffset = integer(value(it, arg), arg, 0, 65535);
        case "--timeout" -> timeout = Duration.ofSeconds(integer(value(it, arg), arg, 1, 3600));
        case "--only" -> components = components(value(it, arg));
        case "--bind-address" -> bindAddress = Addresses.ipAddress(value(it, arg), arg);
        default -> throw new IllegalArgumentException("Unknown option: " + arg);
      }
    }
    for (Component c : components) {
      for (int port : c.ports(portOffset)) {
        if (port > 65535) {
          throw new IllegalArgumentException(
              "--port-offset " + portOffset + " puts " + c.id() + " on port " + port);
        }
      }
    }
    return new StackOptions(
        dataDir.toAbsolutePath().normalize(),
        inMemory,
        portOffset,
        quiet,
        components,
        timeout,
        javaOptions(env.get(JAVA_OPTS_ENV)),
        javaOptions(env.get(MONGO_JAVA_OPTS_ENV)),
        bindAddress,
        env.getOrDefault(FICTIONAL_NUMBER_PREFIXES_ENV, DEFAULT_FICTIONAL_NUMBER_PREFIXES).trim(),
        env.containsKey(WEB_OTP_DOMAIN_ENV)
            ? env.get(WEB_OTP_DOMAIN_ENV).trim()
            : pageHost(bindAddress),
        Topology.of(cluster, instances, portOffset),
        help);
  }

  private static Path defaultDataDir(Map<String, String> env, Path repoRoot) {
    String envDataDir = env.get("SIGNET_DATA_DIR");
    return envDataDir == null || envDataDir.isBlank()
        ? repoRoot.resolve(".signet")
        : Path.of(envDataDir);
  }

  /**
   * The host of the hosted page's URL on this stack (challenge-service's connect address), as the
   * SMS's origin-bound line names it; none for an IPv6 address, which that line cannot carry.
   */
  private static String pageHost(String bindAddress) {
    String host = isWildcard(bindAddress) ? DEFAULT_BIND_ADDRESS : bindAddress;
    return host.contains(":") ? "" : host;
  }

  /**
   * The address components and programs connect to: the bind address, or loopback when the stack
   * listens on every interface.
   */
  String connectAddress() {
    return isWildcard(bindAddress) ? DEFAULT_BIND_ADDRESS : bindAddress;
  }

  /** {@link #connectAddress()} as the host of a URL: an IPv6 address goes in brackets. */
  String urlHost() {
    return urlHost(connectAddress());
  }

  /** {@link #bindAddress()} as the host of a listener URL (Kafka's {@code listeners}). */
  String bindUrlHost() {
    return urlHost(bindAddress);
  }

  private static String urlHost(String address) {
    return address.contains(":") ? "[" + address + "]" : address;
  }

  private static boolean isWildcard(String address) {
    try {
      return InetAddress.getByName(address.contains(":") ? "[" + address + "]" : address)
          .isAnyLocalAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("not an IP address: " + address, e);
    }
  }

  private static List<String> javaOptions(String value) {
    return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
  }

  private static List<String> expandEquals(List<String> args) {
    List<String> out = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        out.add(arg.substring(0, eq));
        out.add(arg.substring(eq + 1));
      } else {
        out.add(arg);
      }
    }
    return out;
  }

  private static String value(Iterator<String> it, String option) {
    if (!it.hasNext()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return it.next();
  }

  private static int integer(String value, String option, int min, int max) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw new IllegalArgumentException(
            option + " must be between " + min + " and " + max + ", got " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got " + value, e);
    }
  }

  private static Set<Component> components(String list) {
    Set<Component> selected = EnumSet.noneOf(Component.class);
    for (String id : list.split(",")) {
      if (id.isBlank()) {
        continue;
      }
      selected.add(
          Component.byId(id)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "Unknown component '"
                              + id.trim()
                              + "' in --only; known: "
                              + Component.ids())));
    }
    if (selected.isEmpty()) {
      throw new IllegalArgumentException("--only needs at least one of: " + Component.ids());
    }
    return selected;
  }
}

package dev.signet.localstack;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The components of the local stack with their default ports, start phase and stop group. Start
 * phases run in order (infrastructure, registry, everything else); stop groups run in the opposite
 * direction so that no service loses Kafka or Mongo while it is still draining.
 */
enum Component {
  KAFKA("kafka", Kind.KAFKA, 9092, null, 0, 2),
  MONGO("mongo", Kind.MONGO, 27017, null, 0, 2),
  ZIPKIN("zipkin", Kind.ZIPKIN, 9411, null, 0, 2),
  REGISTRY("registry", Kind.HTTP, 8085, "schema-registry", 1, 1),
  SANDBOX("sandbox", Kind.HTTP, 8090, "sms-sandbox", 2, 1),
  CHALLENGE("challenge", Kind.HTTP, 8080, "challenge-service", 2, 0),
  RULES("rules", Kind.HTTP, 8081, "rules-service", 2, 0),
  DISPATCHER("dispatcher", Kind.HTTP, 8082, "sms-dispatcher", 2, 0),
  AUDIT("audit", Kind.HTTP, 8083, "audit-service", 2, 0);

  /** How a component is started and how its readiness is probed. */
  enum Kind {
    KAFKA,
    MONGO,
    /** The trace backend: the Zipkin server's executable jar, in-memory storage. */
    ZIPKIN,
    HTTP
  }

  /** The Kafka controller listener sits next to the broker listener. */
  static final int KAFKA_CONTROLLER_PORT = 9093;

  static final int START_PHASES = 3;
  static final int STOP_GROUPS = 3;

  private final String id;
  private final Kind kind;
  private final int basePort;
  private final String module;
  private final int startPhase;
  private final int stopGroup;

  Component(String id, Kind kind, int basePort, String module, int startPhase, int stopGroup) {
    this.id = id;
    this.kind = kind;
    this.basePort = basePort;
    this.module = module;
    this.startPhase = startPhase;
    this.stopGroup = stopGroup;
  }

  String id() {
    return id;
  }

  Kind kind() {
    return kind;
  }

  boolean isHttp() {
    return kind == Kind.HTTP;
  }

  /**
   * The Maven module whose jar runs this component, or {@code null} for Kafka, Mongo and Zipkin.
   */
  String module() {
    return module;
  }

  int startPhase() {
    return startPhase;
  }

  int stopGroup() {
    return stopGroup;
  }

  /**
   * The public readiness probe of an HTTP component: the services' readiness group (everything else
   * of their actuator needs the management secret), the dev-only registry's and sandbox's plain
   * health.
   */
  String readinessPath() {
    return this == REGISTRY || this == SANDBOX ? "/actuator/health" : "/actuator/health/readiness";
  }

  int port(int offset) {
    return basePort + offset;
  }

  /** Every TCP port this component listens on. */
  List<Integer> ports(int offset) {
    return kind == Kind.KAFKA
        ? List.of(basePort + offset, KAFKA_CONTROLLER_PORT + offset)
        : List.of(basePort + offset);
  }

  static Optional<Component> byId(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(c -> c.id.equals(wanted)).findFirst();
  }

  static String ids() {
    return String.join(",", Arrays.stream(values()).map(Component::id).toList());
  }
}

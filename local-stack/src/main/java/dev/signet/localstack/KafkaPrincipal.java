package dev.signet.localstack;

import java.util.Optional;

/**
 * The SCRAM users of the local stack's broker: the admin super user the launcher sets the broker up
 * with, one per component that talks to Kafka, and the external consumer. What each may do is the
 * access plan {@code deploy/kafka/acls.conf}; the passwords are generated like the other secrets.
 */
enum KafkaPrincipal {
  ADMIN("admin", null),
  CHALLENGE_SERVICE("challenge-service", Component.CHALLENGE),
  RULES_SERVICE("rules-service", Component.RULES),
  SMS_DISPATCHER("sms-dispatcher", Component.DISPATCHER),
  AUDIT_SERVICE("audit-service", Component.AUDIT),
  SCHEMA_REGISTRY("schema-registry", Component.REGISTRY),
  EXTERNAL_CONSUMER("external-consumer", null);

  private final String username;
  private final Component component;

  KafkaPrincipal(String username, Component component) {
    this.username = username;
    this.component = component;
  }

  /** The SCRAM user name, also the ACL principal {@code User:<name>}. */
  String username() {
    return username;
  }

  /**
   * The secret (and environment variable) holding its password, e.g. SIGNET_KAFKA_ADMIN_PASSWORD.
   */
  String passwordKey() {
    return "SIGNET_KAFKA_" + name() + "_PASSWORD";
  }

  /** The principal a component connects to Kafka as, if it does. */
  static Optional<KafkaPrincipal> of(Component component) {
    for (KafkaPrincipal p : values()) {
      if (p.component == component) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}

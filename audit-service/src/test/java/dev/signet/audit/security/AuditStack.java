package dev.signet.audit.security;

import de.bwaldvogel.mongo.MongoServer;
import dev.signet.events.serde.InTestRegistry;
import dev.signet.testsupport.TestStack;
import java.util.List;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The servers an audit-service context needs in a security test (MongoDB-wire server, in-JVM
 * broker, schema registry), started once per JVM, and three operator accounts with known passwords.
 */
final class AuditStack {

  static final String MANAGEMENT_SECRET = "audit-security-it-management";
  static final String API_SECRET = "audit-security-it-api";
  static final String PASSWORD = "correct horse battery staple";

  static final TestStack STACK = TestStack.start(1, TestStack.everyTopicAndDeadLetter());
  static final MongoServer MONGO = STACK.mongo();
  static final EmbeddedKafkaKraftBroker KAFKA = STACK.kafka();
  static final InTestRegistry REGISTRY = STACK.registry();
  static final String OPERATORS;

  static {
    // Cost 4 keeps the suite fast; production hashes use the default cost (10) or more.
    BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
    StringBuilder operators = new StringBuilder();
    for (String name : List.of("alice", "bob", "carol", "dave", "erin")) {
      if (operators.length() > 0) {
        operators.append(',');
      }
      operators.append(name).append(":{bcrypt}").append(bcrypt.encode(PASSWORD));
    }
    OPERATORS = operators.toString();
  }

  private AuditStack() {}

  static void properties(DynamicPropertyRegistry registry, String database) {
    STACK.register(registry, database);
    registry.add("signet.audit.management-secret", () -> MANAGEMENT_SECRET);
    registry.add("signet.dashboard.api-secret", () -> API_SECRET);
    registry.add("signet.dashboard.operators", () -> OPERATORS);
  }
}

package dev.signet.audit.security;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.signet.events.Topics;
import dev.signet.events.serde.InTestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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

  static final MongoServer MONGO;
  static final EmbeddedKafkaKraftBroker KAFKA;
  static final InTestRegistry REGISTRY;
  static final String OPERATORS;

  static {
    MONGO = new MongoServer(new MemoryBackend());
    MONGO.bind("127.0.0.1", 0);
    List<String> topics = new ArrayList<>();
    for (Topics.Topic t : Topics.all()) {
      topics.add(t.name());
      topics.add(t.dlt());
    }
    KAFKA = new EmbeddedKafkaKraftBroker(1, 1, topics.toArray(String[]::new));
    KAFKA.afterPropertiesSet();
    try {
      REGISTRY = new InTestRegistry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    registry.add(
        "spring.mongodb.uri",
        () -> "mongodb://127.0.0.1:" + MONGO.getLocalAddress().getPort() + "/" + database);
    registry.add("spring.kafka.bootstrap-servers", KAFKA::getBrokersAsString);
    registry.add("spring.kafka.properties.schema.registry.url", REGISTRY::url);
    registry.add("signet.audit.management-secret", () -> MANAGEMENT_SECRET);
    registry.add("signet.dashboard.api-secret", () -> API_SECRET);
    registry.add("signet.dashboard.operators", () -> OPERATORS);
  }
}

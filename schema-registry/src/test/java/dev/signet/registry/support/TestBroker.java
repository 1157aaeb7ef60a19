package dev.signet.registry.support;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One in-JVM KRaft broker shared by every integration test of this module (started once, ~4 s). The
 * broker also sets the system property {@code spring.kafka.bootstrap-servers}; the registry never
 * reads it, tests pass {@link #bootstrap()} explicitly.
 */
public final class TestBroker {

  private static EmbeddedKafkaKraftBroker broker;

  private TestBroker() {}

  public static synchronized String bootstrap() {
    if (broker == null) {
      broker = new EmbeddedKafkaKraftBroker(1, 1);
      broker.afterPropertiesSet();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
    }
    return broker.getBrokersAsString();
  }
}

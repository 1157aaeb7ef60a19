package dev.signet.bench.profile;

import java.util.List;

/**
 * Groups an execution sample's stack into one cause, so that a component's CPU reads as "Kafka
 * client 30 %, logging 12 %" rather than as a list of methods. Rules, in order:
 *
 * <ol>
 *   <li>a frame anywhere in the stack from logging, the Vonage SDK, the Avro serde (and its
 *       registry client) or crypto names the cause: the work below it exists because of it;
 *   <li>else the innermost frame from a known library or from Signet's own code;
 *   <li>else the innermost JDK frame of a known kind; else "JDK, other".
 * </ol>
 */
public final class Causes {

  private record Rule(String cause, List<String> prefixes) {
    boolean matches(String frame) {
      for (String p : prefixes) {
        if (frame.startsWith(p)) {
          return true;
        }
      }
      return false;
    }
  }

  private static final List<Rule> ANYWHERE =
      List.of(
          new Rule(
              "logging",
              List.of("ch.qos.logback.", "org.slf4j.", "org.apache.logging.", "org.apache.log4j.")),
          new Rule("Vonage SDK (call, response parsing)", List.of("com.vonage.")),
          new Rule(
              "Avro serde + registry",
              List.of(
                  "org.apache.avro.",
                  "dev.signet.events.serde.",
                  "dev.signet.platform.outbox.AvroBytes")),
          new Rule(
              "TLS/crypto/hashing",
              List.of(
                  "sun.security.",
                  "javax.crypto.",
                  "com.sun.crypto.",
                  "java.security.",
                  "com.nimbusds.",
                  "org.apache.kafka.common.security.scram.")));

  private static final List<Rule> LIBRARIES =
      List.of(
          new Rule(
              "Kafka broker: log/storage",
              List.of("kafka.log.", "org.apache.kafka.storage.", "org.apache.kafka.server.log.")),
          new Rule(
              "Kafka broker: KRaft/metadata",
              List.of(
                  "org.apache.kafka.raft.",
                  "kafka.raft.",
                  "org.apache.kafka.controller.",
                  "org.apache.kafka.metadata.",
                  "org.apache.kafka.image.")),
          new Rule(
              "Kafka broker: request handling",
              List.of(
                  "kafka.server.",
                  "org.apache.kafka.server.",
                  "kafka.coordinator.",
                  "org.apache.kafka.coordinator.",
                  "kafka.cluster.")),
          new Rule("Kafka broker: network", List.of("kafka.network.", "org.apache.kafka.network.")),
          new Rule("spring-kafka listener container", List.of("org.springframework.kafka.")),
          new Rule(
              "Kafka clients/common (poll, fetch, produce, protocol)",
              List.of("org.apache.kafka.clients.", "org.apache.kafka.common.")),
          new Rule("Kafka (other)", List.of("kafka.", "org.apache.kafka.")),
          new Rule("Mongo driver + BSON", List.of("com.mongodb.", "org.bson.")),
          new Rule(
              "MongoDB-wire server", List.of("de.bwaldvogel.", "dev.signet.localstack.mongo.")),
          new Rule("H2 store", List.of("org.h2.")),
          new Rule("JSON (Jackson)", List.of("tools.jackson.", "com.fasterxml.jackson.")),
          new Rule("Apache HttpClient", List.of("org.apache.http.", "org.apache.hc.")),
          new Rule(
              "Micrometer/metrics",
              List.of("io.micrometer.", "io.prometheus.", "org.HdrHistogram.")),
          new Rule("Netty", List.of("io.netty.")),
          new Rule("Reactor", List.of("reactor.")),
          new Rule("Spring Security", List.of("org.springframework.security.")),
          new Rule("Spring (web, data, core)", List.of("org.springframework.")),
          new Rule("libphonenumber", List.of("com.google.i18n.phonenumbers.")),
          new Rule("Signet code", List.of("dev.signet.")),
          new Rule("Scala runtime", List.of("scala.")));

  private static final List<Rule> JDK =
      List.of(
          new Rule("JDK: regex", List.of("java.util.regex.")),
          new Rule("JDK: zip/compression", List.of("java.util.zip.")),
          new Rule(
              "JDK: reflection/invoke",
              List.of("java.lang.reflect.", "java.lang.invoke.", "jdk.internal.reflect.")),
          new Rule("JDK: concurrency", List.of("java.util.concurrent.")),
          new Rule("JDK: NIO/sockets", List.of("sun.nio.", "java.nio.", "java.net.", "sun.net.")),
          new Rule("JDK: HTTP client", List.of("jdk.internal.net.http.")),
          new Rule("JDK: JFR", List.of("jdk.jfr.")),
          new Rule(
              "JDK: text/format/time", List.of("java.text.", "java.time.", "java.util.Formatter")));

  private Causes() {}

  /** The cause of one sample; {@code frames} leaf first, each "package.Class.method". */
  public static String of(List<String> frames) {
    for (Rule rule : ANYWHERE) {
      for (String f : frames) {
        if (rule.matches(f)) {
          return rule.cause();
        }
      }
    }
    for (List<Rule> rules : List.of(LIBRARIES, JDK)) {
      for (String f : frames) {
        for (Rule rule : rules) {
          if (rule.matches(f)) {
            return rule.cause();
          }
        }
      }
    }
    return "JDK, other";
  }

  /** A stable colour per cause for the flame graph (hue from the cause's name). */
  public static String colour(String frame) {
    String cause = of(List.of(frame));
    int hue = Math.floorMod(cause.hashCode(), 360);
    return "hsl(" + hue + ",70%," + (cause.startsWith("JDK") ? "80%" : "65%") + ")";
  }
}

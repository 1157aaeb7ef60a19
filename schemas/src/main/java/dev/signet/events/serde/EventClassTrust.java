package dev.signet.events.serde;

import dev.signet.events.challenge.ChallengeRequested;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro 1.12 refuses to load generated classes outside trusted packages, and a service that forgot
 * {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} would send every record to its dead-letter topic.
 * The serde exists to read Signet's own events, so it adds {@code dev.signet.events} (and nothing
 * else) to whatever the JVM already trusts.
 */
final class EventClassTrust {

  private static final String EVENTS_PACKAGE = "dev.signet.events.";

  private EventClassTrust() {}

  static synchronized void ensure() {
    ClassSecurityPredicate global = ClassSecurityValidator.getGlobal();
    if (!global.isTrusted(ChallengeRequested.class)) {
      ClassSecurityValidator.setGlobal(
          ClassSecurityValidator.composite(
              global, type -> type.getName().startsWith(EVENTS_PACKAGE)));
    }
  }
}

package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.challenge.domain.ChallengeState;
import dev.signet.challenge.challenge.domain.Channel;
import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.platform.outbox.OutboxEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Test fixtures: challenges and events as the issuer would build them. */
final class Challenges {

  static final Instant NOW = Instant.parse("2026-11-25T18:00:00Z");

  private Challenges() {}

  /** A pending challenge sent once at {@link #NOW}, expiring ten minutes later. */
  static Challenge aPendingChallenge() {
    String id = "c-" + UUID.randomUUID();
    return new Challenge(
        id,
        new Challenge.Recipient(new PhoneNumber("+447700900123", "GB"), Channel.DEFAULT, "SMS"),
        new Challenge.Context("signIn", "u1", "SIGN_IN", "key-" + id, null, "en-GB", "192.0.2.1"),
        hash("123456"),
        ChallengeState.PENDING,
        new Challenge.Counters(1, 0),
        new Challenge.Timeline(NOW, NOW, NOW.plus(Duration.ofMinutes(10)), null, null),
        null,
        List.of());
  }

  static byte[] hash(String code) {
    return ("hash:" + code).getBytes(StandardCharsets.UTF_8);
  }

  static OutboxEvent anEvent(String key) {
    return new OutboxEvent(
        UUID.randomUUID().toString(),
        "auth.challenge.test.v1",
        key,
        "dev.signet.events.challenge.ChallengeRequested",
        new byte[] {1, 2, 3},
        NOW);
  }
}

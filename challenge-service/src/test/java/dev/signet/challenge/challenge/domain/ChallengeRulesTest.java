package dev.signet.challenge.challenge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.challenge.challenge.domain.VerificationResult.FailureReason;
import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The one-time-code rules on the pure model: expiry, the attempt cap, single use, the resend
 * cooldown and send cap, and who may claim. No broker, no database, no Spring: milliseconds.
 */
class ChallengeRulesTest {

  private static final Instant START = Instant.parse("2026-11-25T18:00:00Z");
  private static final PhoneNumber PHONE = new PhoneNumber("+447700900123", "GB");

  private final MutableClock clock = new MutableClock(START);
  private final ChallengeRules rules =
      new ChallengeRules(
          clock, new ChallengeRules.Limits(5, 3, Duration.ofSeconds(30), Duration.ofMinutes(10)));

  private Challenge issued(String userId) {
    return rules.issue(
        "c1",
        new Challenge.Recipient(PHONE, Channel.DEFAULT, "SMS"),
        new Challenge.Context("signIn", userId, "SIGN_IN", "key-1", null, "en-GB", "192.0.2.1"),
        new byte[] {1});
  }

  private static Challenge with(Challenge c, ChallengeState state, int failedAttempts) {
    return c.with(state).with(new Challenge.Counters(c.sends(), failedAttempts));
  }

  @Test
  void aNewChallengeIsPendingWithItsFirstSendAndExpiresAfterTheCodeLifetime() {
    Challenge challenge = issued("u1");

    assertThat(challenge.state()).isEqualTo(ChallengeState.PENDING);
    assertThat(challenge.sends()).isEqualTo(1);
    assertThat(challenge.failedAttempts()).isZero();
    assertThat(challenge.timeline().createdAt()).isEqualTo(START);
    assertThat(challenge.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
    assertThat(rules.admit(challenge)).isEqualTo(new ChallengeRules.Open(START));
  }

  @Test
  void anExpiredCodeReadsAsInvalidWhateverItIs() {
    Challenge challenge = issued("u1");

    clock.advance(Duration.ofMinutes(10));

    assertThat(rules.admit(challenge))
        .isEqualTo(new ChallengeRules.Closed(FailureReason.CODE_INVALID_OR_EXPIRED));
    assertThat(rules.dueForExpiry(challenge)).isTrue();
  }

  @Test
  void rejectsCodesAfterFiveWrongAttemptsAndTheFifthIsTerminal() {
    Challenge challenge = issued("u1");

    assertThat(rules.failure(4))
        .isEqualTo(new ChallengeRules.Failure(FailureReason.CODE_INVALID_OR_EXPIRED, 4, false));
    assertThat(rules.failure(5))
        .isEqualTo(new ChallengeRules.Failure(FailureReason.MAX_ATTEMPTS_EXCEEDED, 5, true));
    assertThat(rules.admit(with(challenge, ChallengeState.PENDING, 4)))
        .isInstanceOf(ChallengeRules.Open.class);
    assertThat(rules.admit(with(challenge, ChallengeState.PENDING, 5)))
        .isEqualTo(new ChallengeRules.Closed(FailureReason.MAX_ATTEMPTS_EXCEEDED));
  }

  @Test
  void aVerifiedOrClaimedCodeNeverVerifiesAgain() {
    Challenge challenge = issued("u1");

    assertThat(rules.admit(with(challenge, ChallengeState.VERIFIED, 0)))
        .isEqualTo(new ChallengeRules.Closed(FailureReason.CODE_INVALID_OR_EXPIRED));
    assertThat(rules.admit(with(challenge, ChallengeState.CLAIMED, 0)))
        .isEqualTo(new ChallengeRules.Closed(FailureReason.CODE_INVALID_OR_EXPIRED));
    assertThat(rules.dueForExpiry(with(challenge, ChallengeState.VERIFIED, 0))).isFalse();
  }

  @Test
  void aResendInsideTheCooldownIsRefusedWithTheSecondsLeftAndARetryGetsTheSameChallenge() {
    Challenge challenge = issued("u1");
    clock.advance(Duration.ofSeconds(10));

    ChallengeRules.ResendDecision explicit = rules.resend(challenge, false);
    ChallengeRules.ResendDecision retry = rules.resend(challenge, true);

    assertThat(explicit)
        .isEqualTo(
            new ChallengeRules.Declined(
                new Refusal.TooManyRequests(
                    "A code was sent moments ago; wait before asking for another.", 20)));
    assertThat(retry).isEqualTo(new ChallengeRules.Unchanged(challenge));
  }

  @Test
  void aResendAfterTheCooldownSendsTheNextCodeKeepsTheFailuresAndRestartsTheLifetime() {
    Challenge challenge = with(issued("u1"), ChallengeState.PENDING, 2);
    clock.advance(Duration.ofSeconds(30));

    ChallengeRules.ResendDecision decision = rules.resend(challenge, false);

    Instant now = START.plusSeconds(30);
    assertThat(decision)
        .isEqualTo(new ChallengeRules.Resend(2, now, now.plus(Duration.ofMinutes(10))));
    Challenge resent =
        rules.resent(challenge, (ChallengeRules.Resend) decision, new byte[] {2}, "fr-FR", null);
    assertThat(resent.sends()).isEqualTo(2);
    assertThat(resent.failedAttempts()).isEqualTo(2);
    assertThat(resent.codeHash()).containsExactly(2);
    assertThat(resent.context().locale()).isEqualTo("fr-FR");
    assertThat(resent.context().ipAddress()).isEqualTo("192.0.2.1");
    assertThat(resent.timeline().createdAt()).isEqualTo(START);
    assertThat(resent.timeline().lastSentAt()).isEqualTo(now);
  }

  @Test
  void noResendPastTheSendCapOrForADeadChallenge() {
    Challenge challenge = issued("u1");
    Challenge sentThrice = challenge.with(new Challenge.Counters(3, 0));
    clock.advance(Duration.ofMinutes(1));

    assertThat(rules.resend(sentThrice, false))
        .isEqualTo(
            new ChallengeRules.Declined(
                new Refusal.TooManyRequests(
                    "The maximum number of codes for this challenge was sent.", 540)));
    assertThat(rules.resend(with(challenge, ChallengeState.VERIFIED, 0), true))
        .isEqualTo(
            new ChallengeRules.Declined(
                Refusal.invalid("The challenge is no longer pending; start a new challenge.")));
    assertThat(rules.resend(with(challenge, ChallengeState.PENDING, 5), true))
        .isEqualTo(
            new ChallengeRules.Declined(
                Refusal.invalid("The challenge failed too many times; start a new challenge.")));
    clock.advance(Duration.ofMinutes(9));
    assertThat(rules.resend(challenge, true)).isInstanceOf(ChallengeRules.Declined.class);
  }

  @Test
  void anIdempotencyKeyReusedForAnotherNumberOrActionIsRefused() {
    Challenge challenge = issued("u1");

    assertThat(rules.sameRequest(challenge, PHONE, "signIn")).isEmpty();
    assertThat(rules.sameRequest(challenge, null, "signIn")).isEmpty();
    assertThat(rules.sameRequest(challenge, new PhoneNumber("+447700900999", "GB"), "signIn"))
        .isPresent();
    assertThat(rules.sameRequest(challenge, PHONE, "withdraw")).isPresent();
  }

  @Test
  void onlyAVerifiedChallengeIsClaimedAndOnlyByItsUser() {
    Challenge pending = issued("u1");
    Challenge verified = with(pending, ChallengeState.VERIFIED, 0);

    assertThat(rules.claim(verified, "u1", false))
        .isEqualTo(new ChallengeRules.Claimable(true, START));
    assertThat(rules.claim(pending, "u1", false))
        .isEqualTo(new ChallengeRules.Unclaimable(ChallengeRules.notClaimable()));
    assertThat(rules.claim(with(pending, ChallengeState.CLAIMED, 0), "u1", false))
        .isEqualTo(new ChallengeRules.Unclaimable(ChallengeRules.notClaimable()));
    assertThat(rules.claim(verified, "someone-else", false))
        .isEqualTo(
            new ChallengeRules.Unclaimable(
                Refusal.invalid("userId does not match the user the challenge was started for.")));
    // A challenge without a user binds to the first claim.
    assertThat(rules.claim(with(issued(null), ChallengeState.VERIFIED, 0), "anyone", false))
        .isInstanceOf(ChallengeRules.Claimable.class);
  }

  @Test
  void skippingTheCheckClaimsAPendingChallengeUnderItsAttemptsCapBeforeItsExpiry() {
    Challenge pending = issued("u1");

    assertThat(rules.claim(pending, "u1", true))
        .isEqualTo(new ChallengeRules.Claimable(false, START));
    assertThat(rules.claim(with(pending, ChallengeState.PENDING, 5), "u1", true))
        .isInstanceOf(ChallengeRules.Unclaimable.class);
    clock.advance(Duration.ofMinutes(10));
    assertThat(rules.claim(with(pending, ChallengeState.VERIFIED, 0), "u1", false))
        .isInstanceOf(ChallengeRules.Unclaimable.class);
  }

  @Test
  void theChannelFoldsTheApiSpellingsIntoOne() {
    assertThat(Channel.forServerRequest("SMS", null))
        .isEqualTo(dev.signet.challenge.outcome.Checked.accepted(Channel.DEFAULT));
    assertThat(Channel.forServerRequest("SMS", "SMS").orElseThrow()).isEqualTo(Channel.DEFAULT);
    assertThat(Channel.forServerRequest("WHATSAPP", "DEFAULT").orElseThrow())
        .isEqualTo(Channel.WHATSAPP);
    assertThat(Channel.forServerRequest("SMS", "WHATSAPP").orElseThrow())
        .isEqualTo(Channel.WHATSAPP);
    assertThat(Channel.forServerRequest("SMS", "PIGEON").isAccepted()).isFalse();
    assertThat(Channel.fromApi("whatsapp")).contains(Channel.WHATSAPP);
  }
}

package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.challenge.domain.ChallengeState;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.events.challenge.ChallengeClaimed;
import dev.signet.events.challenge.ChallengeExpired;
import dev.signet.events.challenge.ChallengePurpose;
import dev.signet.events.challenge.ChallengeRequested;
import dev.signet.events.challenge.ChallengeVerificationFailed;
import dev.signet.events.challenge.ChallengeVerified;
import dev.signet.events.challenge.SmsChannel;
import dev.signet.events.challenge.VerificationFailureReason;
import dev.signet.events.challenge.VerificationMethod;
import dev.signet.platform.seal.SealBinding;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.UUID;

/**
 * Builds the challenge events from a stored challenge. Only the requested event carries the full
 * number (the dispatcher must send to it) and the sealed code; every other event is masked.
 */
final class ChallengeEvents {

  private ChallengeEvents() {}

  static ChallengeRequested requested(
      Challenge c,
      int attempt,
      byte[] sealedCode,
      String sealKeyId,
      String correlationId,
      Instant now) {
    return ChallengeRequested.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(now)
        .setCorrelationId(correlationId)
        .setChallengeId(c.id())
        .setAttempt(attempt)
        .setPhoneNumber(c.phoneNumber())
        .setChannel(SmsChannel.valueOf(c.recipient().channel().name()))
        .setAction(c.action())
        .setUserId(c.userId())
        .setLocale(c.context().locale())
        .setExpiresAt(c.expiresAt())
        .setSealedCode(ByteBuffer.wrap(sealedCode))
        .setSealKeyId(sealKeyId)
        .setIdempotencyKey(c.idempotencyKey())
        .setPurpose(ChallengePurpose.valueOf(c.purpose()))
        .setCountryCode(c.countryCode())
        .setPhoneNumberMasked(PhoneNumbers.mask(c.phoneNumber()))
        .setUserAuthenticatorId(c.userAuthenticatorId())
        .setIpAddress(c.context().ipAddress())
        .setSealVersion(SealBinding.VERSION)
        .build();
  }

  /**
   * What the code of send {@code attempt} is sealed to: the very fields of its requested event, so
   * that an event altered in any of them carries a code the dispatcher cannot open.
   */
  static SealBinding sealBinding(Challenge c, int attempt) {
    return new SealBinding(
        c.id(),
        attempt,
        c.phoneNumber(),
        SmsChannel.valueOf(c.recipient().channel().name()).name(),
        c.expiresAt());
  }

  static ChallengeVerified verified(Challenge c, String correlationId, Instant now) {
    return ChallengeVerified.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(now)
        .setCorrelationId(correlationId)
        .setChallengeId(c.id())
        .setUserId(c.userId())
        .setAction(c.action())
        .setIdempotencyKey(c.idempotencyKey())
        .setVerificationMethod(VerificationMethod.valueOf(c.verificationMethod()))
        .setPurpose(ChallengePurpose.valueOf(c.purpose()))
        .setPhoneNumberMasked(PhoneNumbers.mask(c.phoneNumber()))
        .setCountryCode(c.countryCode())
        .setSendCount(c.sends())
        .setFailedAttempts(c.failedAttempts())
        .setLastSentAt(c.timeline().lastSentAt())
        .setUserAuthenticatorId(c.userAuthenticatorId())
        .build();
  }

  static ChallengeVerificationFailed failed(
      Challenge c,
      VerificationFailureReason reason,
      int failedAttempts,
      int maxAttempts,
      boolean terminal,
      String correlationId,
      Instant now) {
    return ChallengeVerificationFailed.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(now)
        .setCorrelationId(correlationId)
        .setChallengeId(c.id())
        .setUserId(c.userId())
        .setAction(c.action())
        .setIdempotencyKey(c.idempotencyKey())
        .setVerificationMethod(VerificationMethod.valueOf(c.verificationMethod()))
        .setPurpose(ChallengePurpose.valueOf(c.purpose()))
        .setPhoneNumberMasked(PhoneNumbers.mask(c.phoneNumber()))
        .setCountryCode(c.countryCode())
        .setReason(reason)
        .setFailedAttempts(failedAttempts)
        .setMaxAttempts(maxAttempts)
        .setTerminal(terminal)
        .setSendCount(c.sends())
        .setUserAuthenticatorId(c.userAuthenticatorId())
        .build();
  }

  static ChallengeClaimed claimed(
      Challenge c,
      String userId,
      boolean skipVerificationCheck,
      boolean verified,
      String tokenId,
      String correlationId,
      Instant now) {
    return ChallengeClaimed.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(now)
        .setCorrelationId(correlationId)
        .setChallengeId(c.id())
        .setUserId(userId)
        .setAction(c.action())
        .setIdempotencyKey(c.idempotencyKey())
        .setVerificationMethod(VerificationMethod.valueOf(c.verificationMethod()))
        .setPhoneNumberMasked(PhoneNumbers.mask(c.phoneNumber()))
        .setCountryCode(c.countryCode())
        .setSkipVerificationCheck(skipVerificationCheck)
        .setVerified(verified)
        .setTokenId(tokenId)
        .build();
  }

  static ChallengeExpired expired(Challenge c, Instant now) {
    return ChallengeExpired.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(now)
        .setCorrelationId(c.id())
        .setChallengeId(c.id())
        .setUserId(c.userId())
        .setAction(c.action())
        .setIdempotencyKey(c.idempotencyKey())
        .setVerificationMethod(VerificationMethod.valueOf(c.verificationMethod()))
        .setPurpose(ChallengePurpose.valueOf(c.purpose()))
        .setPhoneNumberMasked(PhoneNumbers.mask(c.phoneNumber()))
        .setCountryCode(c.countryCode())
        .setExpiresAt(c.expiresAt())
        .setVerified(c.state() != ChallengeState.PENDING)
        .setSendCount(c.sends())
        .setFailedAttempts(c.failedAttempts())
        .build();
  }
}

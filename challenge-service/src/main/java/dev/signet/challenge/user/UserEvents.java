package dev.signet.challenge.user;

import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.events.Topics;
import dev.signet.events.authenticator.AuthenticatorChange;
import dev.signet.events.authenticator.AuthenticatorChangeSource;
import dev.signet.events.authenticator.AuthenticatorEnrolled;
import dev.signet.events.authenticator.AuthenticatorRemoved;
import dev.signet.events.authenticator.AuthenticatorUpdated;
import dev.signet.events.authenticator.VerificationMethod;
import dev.signet.events.user.UserDeleted;
import dev.signet.events.user.UserUpdated;
import dev.signet.platform.outbox.Outbox;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns the facts of a user write into the Avro events stored in the user's outbox. Events carry
 * masked phone numbers and emails only: topics are read by services that have no business holding
 * personal data. The key of every event is the user id.
 */
final class UserEvents {

  private UserEvents() {}

  static List<OutboxEvent> wrap(
      Outbox outbox, List<UserChange> changes, String correlationId, Instant now) {
    return changes.stream().map(change -> wrap(outbox, change, correlationId, now)).toList();
  }

  static OutboxEvent wrap(Outbox outbox, UserChange change, String correlationId, Instant now) {
    String eventId = UUID.randomUUID().toString();
    SpecificRecord record = toRecord(eventId, change, correlationId, now);
    return outbox.wrap(eventId, topic(change), userId(change), record);
  }

  static String topic(UserChange change) {
    if (change instanceof UserChange.UserWritten) {
      return Topics.USER_UPDATED.name();
    } else if (change instanceof UserChange.UserDeleted) {
      return Topics.USER_DELETED.name();
    } else if (change instanceof UserChange.AuthenticatorEnrolled) {
      return Topics.AUTHENTICATOR_ENROLLED.name();
    } else if (change instanceof UserChange.AuthenticatorUpdated) {
      return Topics.AUTHENTICATOR_UPDATED.name();
    }
    return Topics.AUTHENTICATOR_REMOVED.name();
  }

  static String userId(UserChange change) {
    if (change instanceof UserChange.UserWritten w) {
      return w.user().userId();
    } else if (change instanceof UserChange.UserDeleted d) {
      return d.userId();
    } else if (change instanceof UserChange.AuthenticatorEnrolled e) {
      return e.authenticator().userId();
    } else if (change instanceof UserChange.AuthenticatorUpdated u) {
      return u.authenticator().userId();
    }
    return ((UserChange.AuthenticatorRemoved) change).authenticator().userId();
  }

  static SpecificRecord toRecord(
      String eventId, UserChange change, String correlationId, Instant now) {
    if (change instanceof UserChange.UserWritten w) {
      return userUpdated(eventId, w, correlationId, now);
    }
    if (change instanceof UserChange.UserDeleted d) {
      return userDeleted(eventId, d, correlationId, now);
    }
    if (change instanceof UserChange.AuthenticatorEnrolled e) {
      return enrolled(eventId, e, correlationId, now);
    }
    if (change instanceof UserChange.AuthenticatorUpdated u) {
      return updated(eventId, u, correlationId, now);
    }
    return removed(eventId, (UserChange.AuthenticatorRemoved) change, correlationId, now);
  }

  private static UserUpdated userUpdated(
      String eventId, UserChange.UserWritten w, String correlationId, Instant now) {
    User u = w.user();
    return UserUpdated.newBuilder()
        .setEventId(eventId)
        .setOccurredAt(now)
        .setCorrelationId(correlationId)
        .setUserId(u.userId())
        .setCreated(w.created())
        .setChangedFields(List.copyOf(w.changedFields()))
        .setEmailMasked(u.email() == null ? null : maskEmail(u.email()))
        .setEmailVerified(u.email() == null ? null : u.emailVerified())
        .setPhoneNumberMasked(u.phoneNumber() == null ? null : PhoneNumbers.mask(u.phoneNumber()))
        .setPhoneCountryCode(u.phoneNumber() == null ? null : u.phoneRegion())
        .setPhoneNumberVerified(u.phoneNumber() == null ? null : u.phoneNumberVerified())
        .setLocale(u.locale())
        .setIsEnrolled(u.isEnrolled())
        .build();
  }

  private static UserDeleted userDeleted(
      String eventId, UserChange.UserDeleted d, String correlationId, Instant now) {
    return UserDeleted.newBuilder()
        .setEventId(eventId)
        .setOccurredAt(now)
        .setCorrelationId(correlationId)
        .setUserId(d.userId())
        .setRemovedAuthenticatorIds(List.copyOf(d.removedAuthenticatorIds()))
        .build();
  }

  private static AuthenticatorEnrolled enrolled(
      String eventId, UserChange.AuthenticatorEnrolled e, String correlationId, Instant now) {
    SmsAuthenticator a = e.authenticator();
    return AuthenticatorEnrolled.newBuilder()
        .setEventId(eventId)
        .setOccurredAt(now)
        .setCorrelationId(correlationId)
        .setUserId(a.userId())
        .setUserAuthenticatorId(a.userAuthenticatorId())
        .setVerificationMethod(VerificationMethod.SMS)
        .setPhoneNumberMasked(PhoneNumbers.mask(a.phoneNumber()))
        .setCountryCode(nullToEmpty(a.countryCode()))
        .setIsDefault(a.isDefault())
        .setSource(source(e.source()))
        .setChallengeId(e.challengeId())
        .setVerifiedAt(a.verifiedAt())
        .build();
  }

  private static AuthenticatorUpdated updated(
      String eventId, UserChange.AuthenticatorUpdated u, String correlationId, Instant now) {
    SmsAuthenticator a = u.authenticator();
    return AuthenticatorUpdated.newBuilder()
        .setEventId(eventId)
        .setOccurredAt(now)
        .setCorrelationId(correlationId)
        .setUserId(a.userId())
        .setUserAuthenticatorId(a.userAuthenticatorId())
        .setVerificationMethod(VerificationMethod.SMS)
        .setPhoneNumberMasked(PhoneNumbers.mask(a.phoneNumber()))
        .setCountryCode(nullToEmpty(a.countryCode()))
        .setChanges(
            u.changes().stream().sorted().map(c -> AuthenticatorChange.valueOf(c.name())).toList())
        .setPreviousPhoneNumberMasked(
            u.previousPhoneNumber() == null ? null : PhoneNumbers.mask(u.previousPhoneNumber()))
        .setPreviousCountryCode(u.previousCountryCode())
        .setIsDefault(a.isDefault())
        .setSource(source(u.source()))
        .setChallengeId(u.challengeId())
        .setLastVerifiedAt(a.lastVerifiedAt())
        .build();
  }

  private static AuthenticatorRemoved removed(
      String eventId, UserChange.AuthenticatorRemoved r, String correlationId, Instant now) {
    SmsAuthenticator a = r.authenticator();
    return AuthenticatorRemoved.newBuilder()
        .setEventId(eventId)
        .setOccurredAt(now)
        .setCorrelationId(correlationId)
        .setUserId(a.userId())
        .setUserAuthenticatorId(a.userAuthenticatorId())
        .setVerificationMethod(VerificationMethod.SMS)
        .setPhoneNumberMasked(PhoneNumbers.mask(a.phoneNumber()))
        .setCountryCode(nullToEmpty(a.countryCode()))
        .setSource(source(r.source()))
        .setRemainingAuthenticators(r.remaining())
        .build();
  }

  /** {@code jane@example.com} becomes {@code j***@example.com}. */
  static String maskEmail(String email) {
    int at = email.lastIndexOf('@');
    if (at <= 0) {
      return "***";
    }
    return email.charAt(0) + "***" + email.substring(at);
  }

  private static AuthenticatorChangeSource source(ChangeSource source) {
    return AuthenticatorChangeSource.valueOf(source.name());
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}

package dev.signet.challenge.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.challenge.user.UserChange.AuthenticatorField;
import dev.signet.events.authenticator.AuthenticatorChange;
import dev.signet.events.authenticator.AuthenticatorChangeSource;
import dev.signet.events.authenticator.AuthenticatorUpdated;
import dev.signet.events.user.UserUpdated;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Document and event mapping: lossless storage, masked events, SDK-shaped views. */
class UserMappingTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123Z");

  @BeforeAll
  static void trustEventClasses() {
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.signet.events");
  }

  @Test
  void aUserSurvivesTheDocumentRoundTrip() {
    User user = sample();
    Document doc = UserDocuments.attributes(user);
    doc.put("_id", user.userId());
    doc.put("version", 4L);

    UserDocuments.Stored stored = UserDocuments.read(doc);

    assertThat(stored.version()).isEqualTo(4L);
    assertThat(stored.user()).contains(user);
  }

  @Test
  void aTombstoneReadsAsNoUser() {
    Document doc = new Document("_id", "u1").append("version", 7L).append("deleted", true);

    UserDocuments.Stored stored = UserDocuments.read(doc);

    assertThat(stored.exists()).isTrue();
    assertThat(stored.version()).isEqualTo(7L);
    assertThat(stored.user()).isEmpty();
  }

  @Test
  void userEventsCarryMaskedValuesOnly() {
    User user = sample();

    UserUpdated event =
        (UserUpdated)
            UserEvents.toRecord(
                "e1", new UserChange.UserWritten(user, true, List.of("email")), "c1", T0);

    assertThat(event.getEmailMasked()).isEqualTo("j***@example.com");
    assertThat(event.getPhoneNumberMasked()).isEqualTo("+44******0123");
    assertThat(event.getPhoneCountryCode()).isEqualTo("GB");
    assertThat(event.getIsEnrolled()).isTrue();
    assertThat(event.toString()).doesNotContain("jane@").doesNotContain("7700900123");
  }

  @Test
  void authenticatorUpdatesNameWhatChangedAndWhereFrom() {
    SmsAuthenticator a = sample().authenticators().get(0);

    AuthenticatorUpdated event =
        (AuthenticatorUpdated)
            UserEvents.toRecord(
                "e1",
                new UserChange.AuthenticatorUpdated(
                    a,
                    EnumSet.of(AuthenticatorField.VERIFIED, AuthenticatorField.PHONE_NUMBER),
                    "+447700900999",
                    "GB",
                    ChangeSource.USER_UPDATE,
                    null),
                "c1",
                T0);

    assertThat(event.getChanges())
        .containsExactly(AuthenticatorChange.PHONE_NUMBER, AuthenticatorChange.VERIFIED);
    assertThat(event.getPreviousPhoneNumberMasked()).isEqualTo("+44******0999");
    assertThat(event.getSource()).isEqualTo(AuthenticatorChangeSource.USER_UPDATE);
    assertThat(UserEvents.topic(new UserChange.UserDeleted("u1", List.of())))
        .isEqualTo("auth.user.deleted.v1");
  }

  @Test
  void viewsUseTheSdkFieldsAndIsoTimestamps() {
    User user = sample();

    UserViews.UserView view = UserViews.of(user);
    UserViews.AuthenticatorView authenticator = UserViews.of(user.authenticators().get(0));

    assertThat(view.isEnrolled()).isTrue();
    assertThat(view.enrolledVerificationMethods()).containsExactly("SMS");
    assertThat(view.defaultVerificationMethod()).isEqualTo("SMS");
    assertThat(authenticator.createdAt()).isEqualTo("2026-01-01T10:00:00.123Z");
    assertThat(UserViews.unknown("u9").isEnrolled()).isFalse();
    assertThat(UserViews.unknown("u9").defaultVerificationMethod()).isNull();
  }

  @Test
  void masksEmails() {
    assertThat(UserEvents.maskEmail("jane@example.com")).isEqualTo("j***@example.com");
    assertThat(UserEvents.maskEmail("@x")).isEqualTo("***");
  }

  private static User sample() {
    SmsAuthenticator a =
        new SmsAuthenticator("a1", "u1", "+447700900123", "GB", T0, T0, T0, true, "DEFAULT");
    return new User(
        "u1",
        "jane@example.com",
        true,
        "+447700900123",
        "GB",
        true,
        "jane",
        "Jane",
        Map.of("plan", "gold", "seats", 3L, "ratio", 0.5, "on", true),
        "en-GB",
        List.of(a),
        T0,
        T0);
  }
}

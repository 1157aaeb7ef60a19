package dev.signet.challenge.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.user.UserOperations.Outcome;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The client API's number change of an existing SMS authenticator, as a pure transition. */
class ChangeNumberTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T11:00:00Z");
  private static final PhoneNumber OLD = new PhoneNumber("+447911100111", "GB");
  private static final PhoneNumber NEW = new PhoneNumber("+33612345678", "FR");
  private static final PhoneNumber OTHER = new PhoneNumber("+447911100222", "GB");

  @Test
  void movesTheAuthenticatorKeepingItsIdAndAnnouncesThePreviousNumber() {
    User user = enrolled(OLD);
    SmsAuthenticator before = user.authenticators().get(0);

    Outcome<SmsAuthenticator> outcome =
        UserOperations.changeNumber(
            Optional.of(user), before.userAuthenticatorId(), NEW, "ch-1", T1);

    SmsAuthenticator moved = outcome.result();
    assertThat(outcome.write()).isTrue();
    assertThat(moved.userAuthenticatorId()).isEqualTo(before.userAuthenticatorId());
    assertThat(moved.phoneNumber()).isEqualTo(NEW.e164());
    assertThat(moved.countryCode()).isEqualTo("FR");
    assertThat(moved.lastVerifiedAt()).isEqualTo(T1);
    assertThat(moved.isDefault()).isTrue();
    assertThat(outcome.next().orElseThrow().authenticators()).containsExactly(moved);
    UserChange.AuthenticatorUpdated fact =
        (UserChange.AuthenticatorUpdated) outcome.changes().get(0);
    assertThat(fact.previousPhoneNumber()).isEqualTo(OLD.e164());
    assertThat(fact.previousCountryCode()).isEqualTo("GB");
    assertThat(fact.source()).isEqualTo(ChangeSource.CLIENT_API);
    assertThat(fact.challengeId()).isEqualTo("ch-1");
    assertThat(fact.changes())
        .containsExactlyInAnyOrder(
            UserChange.AuthenticatorField.PHONE_NUMBER, UserChange.AuthenticatorField.VERIFIED);
  }

  @Test
  void theSameNumberChangesNothing() {
    User user = enrolled(OLD);

    Outcome<SmsAuthenticator> outcome =
        UserOperations.changeNumber(
            Optional.of(user), user.authenticators().get(0).userAuthenticatorId(), OLD, "c", T1);

    assertThat(outcome.write()).isFalse();
    assertThat(outcome.changes()).isEmpty();
  }

  @Test
  void aNumberAnotherAuthenticatorHoldsIsRefused() {
    User user = enrolled(OLD);
    User both =
        UserOperations.enrol(
                Optional.of(user),
                "u1",
                OTHER,
                false,
                ChangeSource.SERVER_API,
                null,
                T0,
                () -> "a2")
            .next()
            .orElseThrow();

    assertThatThrownBy(
            () ->
                UserOperations.changeNumber(
                    Optional.of(both),
                    both.authenticators().get(0).userAuthenticatorId(),
                    OTHER,
                    "c",
                    T1))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.error()).isEqualTo(ApiError.INVALID_REQUEST));
  }

  @Test
  void anUnknownAuthenticatorIsNotFound() {
    assertThatThrownBy(
            () -> UserOperations.changeNumber(Optional.of(enrolled(OLD)), "nope", NEW, "c", T1))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.error()).isEqualTo(ApiError.NOT_FOUND));
  }

  private static User enrolled(PhoneNumber phone) {
    return UserOperations.enrol(
            Optional.empty(), "u1", phone, false, ChangeSource.SERVER_API, null, T0, () -> "a1")
        .next()
        .orElseThrow();
  }
}

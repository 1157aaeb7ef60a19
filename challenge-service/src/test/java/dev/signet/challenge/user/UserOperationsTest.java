package dev.signet.challenge.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.challenge.phone.PhoneNumber;
import dev.signet.challenge.user.UserChange.AuthenticatorField;
import dev.signet.challenge.user.UserOperations.Outcome;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class UserOperationsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T11:00:00Z");
  private final AtomicInteger ids = new AtomicInteger();
  private final Supplier<String> newId = () -> "a" + ids.incrementAndGet();

  @Test
  void updatingAnUnknownUserCreatesItAndReportsTheSetFields() {
    Outcome<User> outcome =
        UserOperations.update(
            Optional.empty(), "u1", patch(Map.of("email", "a@b.example", "username", "ann")), T0);

    assertThat(outcome.write()).isTrue();
    User user = outcome.result();
    assertThat(user.email()).isEqualTo("a@b.example");
    assertThat(user.username()).isEqualTo("ann");
    assertThat(user.createdAt()).isEqualTo(T0);
    UserChange.UserWritten written = (UserChange.UserWritten) outcome.changes().get(0);
    assertThat(written.created()).isTrue();
    assertThat(written.changedFields()).containsExactlyInAnyOrder("email", "username");
  }

  @Test
  void omittedFieldsStayAndExplicitNullsClear() {
    User before = existing();
    Map<String, Object> body = new HashMap<>();
    body.put("email", null);
    body.put("custom", null);

    User after = UserOperations.update(Optional.of(before), "u1", patch(body), T1).result();

    assertThat(after.email()).isNull();
    assertThat(after.custom()).isEmpty();
    assertThat(after.username()).isEqualTo("ann");
    assertThat(after.locale()).isEqualTo("en-GB");
    assertThat(after.createdAt()).isEqualTo(T0);
    assertThat(after.updatedAt()).isEqualTo(T1);
  }

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    User before = existing();

    Outcome<User> outcome =
        UserOperations.update(Optional.of(before), "u1", patch(Map.of("username", "ann")), T1);

    assertThat(outcome.write()).isFalse();
    assertThat(outcome.changes()).isEmpty();
    assertThat(outcome.result()).isEqualTo(before);
  }

  @Test
  void aNewUnverifiedNumberResetsTheVerifiedFlag() {
    User before =
        UserOperations.update(
                Optional.empty(),
                "u1",
                patch(Map.of("phoneNumber", "+447911100111", "phoneNumberVerified", true)),
                T0)
            .result();

    User after =
        UserOperations.update(
                Optional.of(before), "u1", patch(Map.of("phoneNumber", "+447911100222")), T1)
            .result();

    assertThat(after.phoneNumber()).isEqualTo("+447911100222");
    assertThat(after.phoneNumberVerified()).isFalse();
  }

  @Test
  void aVerifiedNumberMovesTheDefaultSmsAuthenticator() {
    User enrolled = enrolled("+447911100111");

    Outcome<User> outcome =
        UserOperations.update(
            Optional.of(enrolled),
            "u1",
            patch(Map.of("phoneNumber", "+447911100222", "phoneNumberVerified", true)),
            T1);

    SmsAuthenticator moved = outcome.result().authenticators().get(0);
    assertThat(moved.userAuthenticatorId()).isEqualTo("a1");
    assertThat(moved.phoneNumber()).isEqualTo("+447911100222");
    assertThat(moved.lastVerifiedAt()).isEqualTo(T1);
    assertThat(moved.verifiedAt()).isEqualTo(T0);
    UserChange.AuthenticatorUpdated update =
        (UserChange.AuthenticatorUpdated) outcome.changes().get(1);
    assertThat(update.changes())
        .containsExactlyInAnyOrder(AuthenticatorField.PHONE_NUMBER, AuthenticatorField.VERIFIED);
    assertThat(update.previousPhoneNumber()).isEqualTo("+447911100111");
    assertThat(update.source()).isEqualTo(ChangeSource.USER_UPDATE);
  }

  @Test
  void aVerifiedNumberWithoutAnAuthenticatorEnrolsNothing() {
    Outcome<User> outcome =
        UserOperations.update(
            Optional.empty(),
            "u1",
            patch(Map.of("phoneNumber", "+447911100222", "phoneNumberVerified", true)),
            T1);

    assertThat(outcome.result().authenticators()).isEmpty();
    assertThat(outcome.changes()).hasSize(1);
  }

  @Test
  void enrolmentIsIdempotentPerNumberAndTheFirstIsDefault() {
    User user = enrolled("+447911100111");

    Outcome<SmsAuthenticator> again =
        UserOperations.enrol(
            Optional.of(user),
            "u1",
            phone("+447911100111"),
            true,
            ChangeSource.SERVER_API,
            null,
            T1,
            newId);
    Outcome<SmsAuthenticator> second =
        UserOperations.enrol(
            Optional.of(user),
            "u1",
            phone("+447911100222"),
            false,
            ChangeSource.SERVER_API,
            null,
            T1,
            newId);

    assertThat(user.authenticators().get(0).isDefault()).isTrue();
    assertThat(again.write()).isFalse();
    assertThat(again.result().userAuthenticatorId()).isEqualTo("a1");
    assertThat(second.result().isDefault()).isFalse();
    assertThat(second.next().orElseThrow().authenticators()).hasSize(2);
  }

  @Test
  void enrollingANewDefaultDemotesTheOldOne() {
    User user = enrolled("+447911100111");

    Outcome<SmsAuthenticator> outcome =
        UserOperations.enrol(
            Optional.of(user),
            "u1",
            phone("+447911100222"),
            true,
            ChangeSource.SERVER_API,
            null,
            T1,
            newId);

    User after = outcome.next().orElseThrow();
    assertThat(after.authenticators()).filteredOn(SmsAuthenticator::isDefault).hasSize(1);
    assertThat(after.defaultSmsAuthenticator().orElseThrow().phoneNumber())
        .isEqualTo("+447911100222");
    assertThat(outcome.changes())
        .hasAtLeastOneElementOfType(UserChange.AuthenticatorEnrolled.class)
        .hasAtLeastOneElementOfType(UserChange.AuthenticatorUpdated.class);
  }

  @Test
  void refusesMoreThanTenAuthenticators() {
    Optional<User> user = Optional.empty();
    for (int i = 0; i < UserOperations.MAX_AUTHENTICATORS; i++) {
      user =
          UserOperations.enrol(
                  user,
                  "u1",
                  phone("+4479111001" + (10 + i)),
                  false,
                  ChangeSource.SERVER_API,
                  null,
                  T0,
                  newId)
              .next();
    }
    Optional<User> full = user;

    assertThatThrownBy(
            () ->
                UserOperations.enrol(
                    full,
                    "u1",
                    phone("+447911100199"),
                    false,
                    ChangeSource.SERVER_API,
                    null,
                    T1,
                    newId))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void removingTheDefaultPromotesTheNextAndUnknownIdsAreNotFound() {
    User user =
        UserOperations.enrol(
                Optional.of(enrolled("+447911100111")),
                "u1",
                phone("+447911100222"),
                false,
                ChangeSource.SERVER_API,
                null,
                T1,
                newId)
            .next()
            .orElseThrow();

    Outcome<SmsAuthenticator> outcome =
        UserOperations.removeAuthenticator(Optional.of(user), "a1", T1);

    User after = outcome.next().orElseThrow();
    assertThat(after.authenticators()).hasSize(1);
    assertThat(after.authenticators().get(0).isDefault()).isTrue();
    assertThat(((UserChange.AuthenticatorRemoved) outcome.changes().get(0)).remaining())
        .isEqualTo(1);
    assertThatThrownBy(() -> UserOperations.removeAuthenticator(Optional.of(user), "nope", T1))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.error()).isEqualTo(ApiError.NOT_FOUND));
    assertThatThrownBy(() -> UserOperations.removeAuthenticator(Optional.empty(), "a1", T1))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void deletingAnnouncesEveryAuthenticatorAndIgnoresUnknownUsers() {
    User user = enrolled("+447911100111");

    Outcome<Boolean> deleted = UserOperations.delete(Optional.of(user));
    Outcome<Boolean> unknown = UserOperations.delete(Optional.empty());

    assertThat(deleted.next()).isEmpty();
    assertThat(deleted.write()).isTrue();
    assertThat(deleted.changes()).hasSize(2);
    assertThat(((UserChange.UserDeleted) deleted.changes().get(1)).removedAuthenticatorIds())
        .containsExactly("a1");
    assertThat(unknown.write()).isFalse();
    assertThat(unknown.result()).isTrue();
  }

  @Test
  void recordingAVerificationTouchesOnlyLastVerifiedAt() {
    User user = enrolled("+447911100111");

    Outcome<Optional<SmsAuthenticator>> outcome =
        UserOperations.verified(Optional.of(user), "a1", "ch1", T1);
    Outcome<Optional<SmsAuthenticator>> missing =
        UserOperations.verified(Optional.of(user), "zz", "ch1", T1);

    SmsAuthenticator after = outcome.result().orElseThrow();
    assertThat(after.lastVerifiedAt()).isEqualTo(T1);
    assertThat(after.verifiedAt()).isEqualTo(T0);
    assertThat(missing.write()).isFalse();
    assertThat(missing.result()).isEmpty();
  }

  private User existing() {
    return UserOperations.update(
            Optional.empty(),
            "u1",
            patch(
                Map.of(
                    "email", "a@b.example",
                    "username", "ann",
                    "locale", "en-GB",
                    "custom", Map.of("plan", "gold"))),
            T0)
        .result();
  }

  private User enrolled(String e164) {
    return UserOperations.enrol(
            Optional.empty(), "u1", phone(e164), false, ChangeSource.SERVER_API, null, T0, newId)
        .next()
        .orElseThrow();
  }

  private static UserPatch patch(Map<String, Object> body) {
    return UserPatch.from(body);
  }

  private static PhoneNumber phone(String e164) {
    return new PhoneNumber(e164, "GB");
  }
}

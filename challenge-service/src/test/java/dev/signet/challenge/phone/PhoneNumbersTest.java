package dev.signet.challenge.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.challenge.outcome.Refusal;
import dev.signet.challenge.outcome.Refused;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

  @org.junit.jupiter.api.BeforeAll
  static void allowTheDramaRange() {
    PhoneNumbers.allowFictionalPrefixes(java.util.List.of("+4477009"));
  }

  @org.junit.jupiter.api.AfterAll
  static void reset() {
    PhoneNumbers.allowFictionalPrefixes(java.util.List.of());
  }

  @ParameterizedTest
  @CsvSource({
    "+447700900123, +447700900123, GB",
    "+44 7700 900123, +447700900123, GB",
    "+44-7700-900.123, +447700900123, GB",
    "+447911123456, +447911123456, GG",
    "+44 (0)7911 123456, +447911123456, GG",
    "+14155552671, +14155552671, US",
    "+33612345678, +33612345678, FR",
  })
  void normalisesFormattedNumbersToE164(String raw, String e164, String region) {
    assertThat(PhoneNumbers.parse(raw)).isEqualTo(new PhoneNumber(e164, region));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "07700900123", // national format
        "447700900123", // no plus
        "+4477009001234567", // too long
        "+0447700900123", // country code 0
        "+80012345678", // international freephone
        "+88212345678", // international networks
        "+979123456789", // international premium rate
        "+4490 0123 4567", // UK premium rate
        "+44 7700 9OO123", // letters
        "tel:+447700900123",
        "+447700900123;ext=1",
        "+447700900123x12",
        "＋447700900123", // fullwidth plus
        "+４４7700900123", // fullwidth digits
        "+٤٤7700900123", // Arabic-Indic digits
        "+44\u200B7700900123", // zero-width space
        "+44\u202E7700900123", // right-to-left override
        "+447700900123\u0000",
        "+447700900123\r\n",
        "+",
        " ",
      })
  void refusesAnythingItWouldHaveToGuess(String raw) {
    assertThatThrownBy(() -> PhoneNumbers.parse(raw))
        .isInstanceOfSatisfying(
            Refused.class, e -> assertThat(e.refusal()).isInstanceOf(Refusal.InvalidRequest.class))
        .hasMessageContaining("phoneNumber");
  }

  @ParameterizedTest
  @CsvSource({"+447700900123, +44******0123", "+14155552671, +1******2671"})
  void masksAllButCountryCodeAndLastFourDigits(String e164, String masked) {
    assertThat(PhoneNumbers.mask(e164)).isEqualTo(masked);
  }

  @ParameterizedTest
  @CsvSource({
    "+6427000000, +6427000000, NZ", // possible, not a valid mobile
    "+64 27 123 456, +6427123456, NZ",
    "+449090123456, +449090123456, GB", // premium rate: stored, never sent to
    "+447700900123, +447700900123, GB",
  })
  void anAuthenticatorVerifiedElsewhereTakesAnyPossibleNumber(
      String raw, String e164, String region) {
    assertThat(PhoneNumbers.possible(raw, "phoneNumber")).isEqualTo(new PhoneNumber(e164, region));
  }

  @ParameterizedTest
  @ValueSource(strings = {"+64", "07700900123", "+0447700900123", "tel:+447700900123"})
  void anAuthenticatorNumberMustStillBeAPossibleE164Number(String raw) {
    assertThatThrownBy(() -> PhoneNumbers.possible(raw, "phoneNumber"))
        .isInstanceOfSatisfying(
            Refused.class, e -> assertThat(e.refusal()).isInstanceOf(Refusal.InvalidRequest.class));
  }

  @ParameterizedTest
  @CsvSource({
    "9876543210, 9876543210",
    "+6427123456, +6427123456",
    "+64 27 123 456, +6427123456",
    "tel:+447700900123, tel:+447700900123",
  })
  void aProfileNumberIsNormalisedWhenItParsesAndKeptAsGivenOtherwise(String raw, String stored) {
    assertThat(PhoneNumbers.profile(raw, "phoneNumber").value()).isEqualTo(stored);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "+44\u200b7700900123", "+447700900123\n", "\u202e123"})
  void aProfileNumberRefusesControlAndInvisibleCharacters(String escaped) {
    String raw = escaped.translateEscapes();
    assertThatThrownBy(() -> PhoneNumbers.profile(raw, "phoneNumber"))
        .isInstanceOfSatisfying(
            Refused.class, e -> assertThat(e.refusal()).isInstanceOf(Refusal.InvalidRequest.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"+6427000000", "+449090123456", "+97912345678"})
  void aStoredNumberThatCannotReceiveACodeIsRefusedWhereTheCodeWouldBeSent(String stored) {
    assertThatThrownBy(() -> PhoneNumbers.sendable(stored, "The user's SMS authenticator"))
        .isInstanceOfSatisfying(
            Refused.class, e -> assertThat(e.refusal()).isInstanceOf(Refusal.InvalidRequest.class))
        .hasMessageContaining("cannot receive SMS codes")
        .hasMessageNotContaining(stored);
  }
}

package dev.signet.sandbox.phone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

  @Test
  void acceptsNumbersWithOrWithoutPlusAndAPlusThatBecameASpace() {
    assertThat(PhoneNumbers.digits("+447700900001")).contains("447700900001");
    assertThat(PhoneNumbers.digits("447700900001")).contains("447700900001");
    assertThat(PhoneNumbers.digits(" 447700900001")).contains("447700900001");
    assertThat(PhoneNumbers.digits("00447700900001")).contains("447700900001");
  }

  @Test
  void rejectsWhatIsNotAnInternationalNumber() {
    assertThat(PhoneNumbers.digits(null)).isEmpty();
    assertThat(PhoneNumbers.digits("abc")).isEmpty();
    assertThat(PhoneNumbers.digits("+12345")).isEmpty();
    assertThat(PhoneNumbers.digits("+1234567890123456")).isEmpty();
  }

  @Test
  void masksAllButTheCountryPrefixAndTheLastFourDigits() {
    assertThat(PhoneNumbers.mask("447700900001")).isEqualTo("+44******0001");
  }

  @Test
  void theRegionOfANumberIsItsOwnOrElseItsCallingCodesMainRegion() {
    assertThat(PhoneNumbers.region("4915112345678")).isEqualTo("DE");
    assertThat(PhoneNumbers.region("447700900123")).isEqualTo("GB");
    assertThat(PhoneNumbers.region("12025550123")).isEqualTo("US");
    assertThat(PhoneNumbers.region("8009999999")).isNull();
  }
}

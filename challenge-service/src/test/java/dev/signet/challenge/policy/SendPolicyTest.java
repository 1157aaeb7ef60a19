package dev.signet.challenge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.challenge.outcome.Refusal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SendPolicyTest {

  static final Instant NOW = Instant.parse("2026-11-25T21:00:00Z");

  final SendPolicy policy =
      new SendPolicy(
          3,
          Set.of("GB", "DE"),
          false,
          List.of(
              new SendPolicy.Block("+44770091", "prefix_velocity", NOW.plusSeconds(300)),
              new SendPolicy.Block("+44770092", "prefix_velocity", NOW.minusSeconds(1))),
          List.of(new SendPolicy.Block("DE", "operator", null)));

  @Test
  void refusesCountriesOutsideTheAllowlistAndBlockedPrefixesAndCountries() {
    assertThat(policy.check("+33612345678", "FR", NOW))
        .containsInstanceOf(SendPolicy.CountryNotAllowed.class);
    assertThat(policy.check("+447700912345", "GB", NOW).orElseThrow())
        .isEqualTo(
            new SendPolicy.DestinationBlocked(
                "prefix", "+44770091", "prefix_velocity", NOW.plusSeconds(300)));
    assertThat(policy.check("+4915112345678", "DE", NOW).orElseThrow())
        .isEqualTo(new SendPolicy.DestinationBlocked("country", "DE", "operator", null));
    assertThat(policy.check("+447700922345", "GB", NOW)).isEmpty(); // that block expired
    assertThat(policy.check("+447700932345", "GB", NOW)).isEmpty();
    assertThat(policy.check("+447700912345", null, NOW))
        .containsInstanceOf(SendPolicy.CountryNotAllowed.class);
  }

  @Test
  void refusalsMapToTheDocumentedErrors() {
    Refusal notAllowed = SendPolicies.error(new SendPolicy.CountryNotAllowed("FR"), NOW);
    assertThat(notAllowed).isInstanceOf(Refusal.InvalidRequest.class);
    assertThat(notAllowed.code()).isEqualTo("invalid_request");
    assertThat(notAllowed.description())
        .isEqualTo("SMS to this country (FR) is not allowed by the send policy.");

    Refusal blocked =
        SendPolicies.error(
            new SendPolicy.DestinationBlocked(
                "prefix", "+44770091", "prefix_velocity", NOW.plusSeconds(300)),
            NOW);
    assertThat(blocked).isInstanceOf(Refusal.TooManyRequests.class);
    assertThat(blocked.code()).isEqualTo("too_many_requests");
    assertThat(((Refusal.TooManyRequests) blocked).retryAfterSeconds()).isEqualTo(300);
    Refusal openEnded =
        SendPolicies.error(
            new SendPolicy.DestinationBlocked("country", "DE", "operator", null), NOW);
    assertThat(((Refusal.TooManyRequests) openEnded).retryAfterSeconds())
        .isEqualTo(SendPolicies.OPEN_ENDED_RETRY_SECONDS);
    assertThat(openEnded.description()).contains("this country (DE)");
  }

  @Test
  void everyRefusalNamesItsGuardForAudit() {
    assertThat(SendPolicies.reason(new SendPolicy.CountryNotAllowed("FR")))
        .isEqualTo("COUNTRY_NOT_ALLOWED");
    assertThat(
            SendPolicies.reason(
                new SendPolicy.DestinationBlocked("prefix", "+44770091", "prefix_velocity", null)))
        .isEqualTo("PREFIX_BLOCKED");
    assertThat(
            SendPolicies.reason(
                new SendPolicy.DestinationBlocked("country", "DE", "country_velocity", null)))
        .isEqualTo("COUNTRY_BLOCKED");
    assertThat(
            SendPolicies.reason(
                new SendPolicy.DestinationBlocked("country", "DE", "conversion_low", null)))
        .isEqualTo("COUNTRY_CONVERSION_LOW");
    for (String reason :
        List.of(
            "COUNTRY_NOT_ALLOWED", "PREFIX_BLOCKED", "COUNTRY_BLOCKED", "COUNTRY_CONVERSION_LOW")) {
      // Every name is a symbol of the event's reason enum.
      assertThat(dev.signet.events.challenge.SendRefusalReason.valueOf(reason).name())
          .isEqualTo(reason);
    }
  }
}

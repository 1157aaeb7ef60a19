package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.sms.routing.Route;
import dev.signet.sms.routing.RouteKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FallbackPropertiesTest {

  @Test
  void defaultsToOneFallbackAfterThirtySecondsWithWindowsPerCountry() {
    FallbackProperties properties =
        new FallbackProperties(null, Map.of("in", Duration.ofSeconds(60)), null, null);

    assertThat(properties.enabled()).isTrue();
    assertThat(properties.maxPerAttempt()).isEqualTo(1);
    assertThat(properties.windowFor("GB")).isEqualTo(Duration.ofSeconds(30));
    assertThat(properties.windowFor("IN")).isEqualTo(Duration.ofSeconds(60));
    assertThat(properties.sweepInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void refusesWindowsThatAreNotPositiveAndMoreThanThreeFallbacks() {
    assertThatThrownBy(() -> new FallbackProperties(Duration.ZERO, null, null, null))
        .hasMessageContaining("signet.sms.fallback.window");
    assertThatThrownBy(() -> new FallbackProperties(null, null, 4, null))
        .hasMessageContaining("max-per-attempt");
    assertThat(new FallbackProperties(null, null, 0, null).enabled()).isFalse();
  }

  @Test
  void theFallbackGoesToTheRouteAfterTheLastOneAndWithOneRouteToItAgain() {
    Route vonage = new Route(RouteKind.VONAGE_SMS, null, 100);
    Route twilio = new Route(RouteKind.TWILIO_MESSAGING, null, 0);
    Resend two = resend(List.of(vonage, twilio));
    Resend one = resend(List.of(vonage));

    assertThat(two.after("vonage-sms"))
        .extracting(Route::id)
        .containsExactly("twilio-messaging", "vonage-sms");
    assertThat(two.after("twilio-messaging"))
        .extracting(Route::id)
        .containsExactly("vonage-sms", "twilio-messaging");
    assertThat(one.after("vonage-sms")).extracting(Route::id).containsExactly("vonage-sms");
  }

  private static Resend resend(List<Route> plan) {
    return new Resend("e1", "k1", 2, new byte[40], new byte[40], "SMS", Instant.now(), "en", plan);
  }
}

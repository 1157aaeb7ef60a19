package dev.signet.sms.routing;

import dev.signet.sms.domain.Channel;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A provider and the API of it the dispatcher calls. Its id ({@code provider-api}) names the route
 * in the claim, the events, the circuit breaker and the {@code route} metric tag.
 */
public enum RouteKind {
  VONAGE_SMS("vonage", "sms", Channel.SMS),
  VONAGE_MESSAGES("vonage", "messages", Channel.SMS),
  VONAGE_WHATSAPP("vonage", "whatsapp", Channel.WHATSAPP),
  TWILIO_MESSAGING("twilio", "messaging", Channel.SMS);

  private final String provider;
  private final String api;
  private final Channel channel;

  RouteKind(String provider, String api, Channel channel) {
    this.provider = provider;
    this.api = api;
    this.channel = channel;
  }

  public String provider() {
    return provider;
  }

  public String api() {
    return api;
  }

  /** The channel the route carries: a WhatsApp route never serves an SMS rule, nor the reverse. */
  public Channel channel() {
    return channel;
  }

  public String id() {
    return provider + "-" + api;
  }

  /** The kind named by a provider and an API, case-insensitive; empty when unknown. */
  public static Optional<RouteKind> of(String provider, String api) {
    if (provider == null || api == null) {
      return Optional.empty();
    }
    String p = provider.trim().toLowerCase(Locale.ROOT);
    String a = api.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(k -> k.provider.equals(p) && k.api.equals(a)).findFirst();
  }
}

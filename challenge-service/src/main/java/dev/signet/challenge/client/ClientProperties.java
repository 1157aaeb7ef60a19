package dev.signet.challenge.client;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Client API settings under {@code signet.challenge.client}.
 *
 * @param allowedOrigins browser origins allowed to call the client API cross-origin ({@code
 *     SIGNET_CLIENT_ALLOWED_ORIGINS}, comma-separated): exact origins such as {@code
 *     https://app.example.com} or Spring origin patterns such as {@code https://*.example.com} or
 *     {@code http://localhost:[*]}. Empty (the default): no origin gets CORS headers.
 */
@ConfigurationProperties("signet.challenge.client")
public record ClientProperties(List<String> allowedOrigins) {

  public ClientProperties {
    allowedOrigins =
        allowedOrigins == null
            ? List.of()
            : allowedOrigins.stream().map(String::trim).filter(o -> !o.isEmpty()).toList();
    for (String origin : allowedOrigins) {
      if (origin.equals("*")) {
        throw new IllegalArgumentException(
            "signet.challenge.client.allowed-origins must list origins, not '*': the client API"
                + " takes bearer tokens and must not answer every web page");
      }
      if (!origin.startsWith("http://") && !origin.startsWith("https://")) {
        throw new IllegalArgumentException(
            "signet.challenge.client.allowed-origins entry '"
                + origin
                + "' is not an http(s) origin");
      }
    }
  }
}

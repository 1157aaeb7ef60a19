package dev.signet.audit.webhook.domain;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A registered endpoint's URL, checked before it is stored: absolute, {@code https} (plain {@code
 * http} only with the development override), a host name or address, no user name or password (they
 * would sit in the stored URL and the logs), no fragment, at most 2048 characters. Whether the
 * host's addresses are public is checked separately ({@link AddressPolicy}), at registration and
 * again at every connection.
 *
 * @param uri the URL as it will be requested
 * @param host the host name in lower case, or the literal address without brackets
 * @param port the port, the scheme's default when none is given
 */
public record WebhookUrl(URI uri, String host, int port) {

  public static final int MAX_LENGTH = 2048;
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?$");

  /**
   * Parses {@code raw}; throws {@link IllegalArgumentException} with a sentence for the caller.
   *
   * @param allowHttp whether {@code http} URLs are accepted (development only)
   */
  public static WebhookUrl parse(String raw, boolean allowHttp) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("url is required.");
    }
    if (raw.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("url must be at most " + MAX_LENGTH + " characters.");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == '\\') {
        throw new IllegalArgumentException(
            "url must not contain spaces, control characters or backslashes.");
      }
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("url is not a valid URL.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
      throw new IllegalArgumentException(
          allowHttp ? "url must be an http or https URL." : "url must be an https URL.");
    }
    if (uri.getRawAuthority() == null || uri.getHost() == null) {
      throw new IllegalArgumentException("url must name a host.");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("url must not contain a user name or password.");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("url must not contain a fragment (#...).");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else {
      try {
        host = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("url has an invalid host name.");
      }
      if (!HOST_NAME.matcher(host).matches()) {
        throw new IllegalArgumentException("url has an invalid host name.");
      }
    }
    int port = uri.getPort();
    if (port == -1) {
      port = scheme.equals("https") ? 443 : 80;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("url has an invalid port.");
    }
    return new WebhookUrl(uri, host, port);
  }

  /** Whether the host is written as an address (IPv4 dotted quad or bracketed IPv6). */
  public boolean literalAddress() {
    return host.contains(":") || host.matches("^[0-9.]+$");
  }
}

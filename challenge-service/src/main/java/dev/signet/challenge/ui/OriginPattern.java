package dev.signet.challenge.ui;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configured origin of the hosted page's settings: an exact origin ({@code
 * https://app.example.com}), a host wildcard on the first label only ({@code
 * https://*.example.com}), or any port ({@code http://localhost:[*]}). Nothing else is accepted, so
 * an entry can neither widen to every site ({@code *}) nor inject anything into the {@code
 * frame-ancestors} directive it is copied into.
 */
record OriginPattern(String scheme, boolean anySubdomain, String host, int port, boolean anyPort) {

  private static final Pattern SHAPE =
      Pattern.compile(
          "^(https?)://(\\*\\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)"
              + "(?::(\\[\\*\\]|[0-9]{1,5}))?$");

  /** Parses a configured entry; {@code setting} names it in the start-up error. */
  static OriginPattern parse(String entry, String setting) {
    String text = entry == null ? "" : entry.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHAPE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          setting
              + " entry '"
              + entry
              + "' is not an origin: use https://host[:port], https://*.domain or"
              + " http://host:[*] (no path, no '*' alone)");
    }
    String scheme = m.group(1);
    boolean anySubdomain = m.group(2) != null;
    String host = m.group(3);
    if (anySubdomain && !host.contains(".")) {
      throw new IllegalArgumentException(
          setting + " entry '" + entry + "': a wildcard needs a domain of at least two labels");
    }
    String portText = m.group(4);
    boolean anyPort = "[*]".equals(portText);
    int port = portText == null ? defaultPort(scheme) : anyPort ? -1 : Integer.parseInt(portText);
    if (!anyPort && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException(setting + " entry '" + entry + "': port out of range");
    }
    return new OriginPattern(scheme, anySubdomain, host, port, anyPort);
  }

  /**
   * Whether an absolute URL's origin is allowed by this entry: same scheme, the host itself (or,
   * for a wildcard, a strict subdomain of it, never the bare domain nor a look-alike such as {@code
   * example.com.evil.test}), same port.
   */
  boolean matches(String scheme, String host, int port) {
    if (scheme == null || host == null) {
      return false;
    }
    String s = scheme.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (!this.scheme.equals(s)) {
      return false;
    }
    boolean hostMatches = anySubdomain ? h.endsWith("." + this.host) : h.equals(this.host);
    if (!hostMatches) {
      return false;
    }
    int effective = port == -1 ? defaultPort(s) : port;
    return anyPort || effective == this.port;
  }

  /** Whether a serialised origin ({@code scheme://host[:port]}) is allowed by this entry. */
  boolean matchesOrigin(String origin) {
    try {
      URI uri = new URI(origin);
      if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
        return false;
      }
      return uri.getRawUserInfo() == null
          && uri.getRawQuery() == null
          && uri.getRawFragment() == null
          && matches(uri.getScheme(), uri.getHost(), uri.getPort());
    } catch (Exception e) {
      return false;
    }
  }

  /** The entry as a CSP source expression ({@code frame-ancestors}). */
  String cspSource() {
    return scheme
        + "://"
        + (anySubdomain ? "*." : "")
        + host
        + (anyPort ? ":*" : port == defaultPort(scheme) ? "" : ":" + port);
  }

  /** The entry as the page's script matches it (see {@code ui.js}). */
  String pageForm() {
    return scheme
        + "://"
        + (anySubdomain ? "*." : "")
        + host
        + ":"
        + (anyPort ? "*" : String.valueOf(port));
  }

  private static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }
}

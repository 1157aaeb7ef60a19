package dev.signet.challenge.limits;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the per-IP send limit counts an end-user address as. An IPv4 address is one subscriber (or
 * one NAT gateway); an IPv6 subscriber is handed a whole /64 and can draw a fresh address from it
 * for every request, so IPv6 counts by its /64. An IPv4-mapped IPv6 address counts as its IPv4
 * address. Anything that is not an IP literal is counted as the trimmed, lower-cased text, so odd
 * input still shares one counter instead of escaping the limit.
 */
public final class IpKey {

  private static final Pattern IPV4 =
      Pattern.compile(
          "^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
  private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9a-fA-F:.]+$");

  private IpKey() {}

  /** The counting key of {@code address}, or null when there is none. */
  public static String of(String address) {
    if (address == null || address.isBlank()) {
      return null;
    }
    String text = address.trim();
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    int zone = text.indexOf('%');
    if (zone > 0 && text.indexOf(':') >= 0) {
      text = text.substring(0, zone);
    }
    if (IPV4.matcher(text).matches()) {
      return text;
    }
    // Only a literal of hex digits, colons and dots reaches InetAddress: it parses it without any
    // name lookup.
    if (text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches()) {
      try {
        InetAddress parsed = InetAddress.getByName(text);
        if (parsed instanceof Inet4Address v4) {
          return v4.getHostAddress();
        }
        if (parsed instanceof Inet6Address v6) {
          return slash64(v6.getAddress());
        }
      } catch (UnknownHostException e) {
        // not a literal after all: counted as text below
      }
    }
    return "text:" + address.trim().toLowerCase(Locale.ROOT);
  }

  private static String slash64(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (int group = 0; group < 4; group++) {
      int value = ((bytes[group * 2] & 0xff) << 8) | (bytes[group * 2 + 1] & 0xff);
      out.append(Integer.toHexString(value)).append(':');
    }
    return out.append(":/64").toString();
  }
}

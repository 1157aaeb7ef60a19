package dev.signet.rules.evaluation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IP address or CIDR range (IPv4 or IPv6). Only literal addresses are accepted: parsing never
 * resolves a host name, so neither a rule nor a tracked action can trigger a DNS lookup.
 */
public record IpRange(String text, byte[] network, int prefixLength) {

  /** Parses {@code 203.0.113.7}, {@code 10.0.0.0/8}, {@code 2001:db8::/32}; empty when invalid. */
  public static Optional<IpRange> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String value = text.trim();
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    Optional<byte[]> bytes = literal(address);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    int max = bytes.get().length * 8;
    int prefix = max;
    if (slash >= 0) {
      String digits = value.substring(slash + 1);
      if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(digits);
      if (prefix > max) {
        return Optional.empty();
      }
    }
    return Optional.of(new IpRange(value, mask(bytes.get(), prefix), prefix));
  }

  /** The bytes of a literal IPv4 or IPv6 address; empty for anything else, host names included. */
  public static Optional<byte[]> literal(String address) {
    if (address == null || address.isEmpty() || address.length() > 45) {
      return Optional.empty();
    }
    if (address.indexOf(':') < 0) {
      return ipv4(address);
    }
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      boolean allowed = c == ':' || c == '.' || Character.digit(c, 16) >= 0 && c < 128 && c != ' ';
      if (!allowed) {
        return Optional.empty();
      }
    }
    try {
      // A string with ':' and only hex digits, dots and colons is parsed as a literal, never looked
      // up.
      byte[] bytes = InetAddress.getByName(address).getAddress();
      return Optional.of(bytes);
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
  }

  private static Optional<byte[]> ipv4(String address) {
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')
          || (part.length() > 1 && part.charAt(0) == '0')) {
        return Optional.empty();
      }
      int value = Integer.parseInt(part);
      if (value > 255) {
        return Optional.empty();
      }
      bytes[i] = (byte) value;
    }
    return Optional.of(bytes);
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & (0xff << (8 - bits)));
    }
    return out;
  }

  /** Whether the literal address falls in this range (IPv4 and IPv6 never match each other). */
  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    byte[] masked = mask(address, prefixLength);
    return java.util.Arrays.equals(masked, network);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IpRange range && range.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}

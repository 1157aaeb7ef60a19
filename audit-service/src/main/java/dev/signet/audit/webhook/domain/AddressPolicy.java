package dev.signet.audit.webhook.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses a webhook may be sent to. A delivery is a request Signet makes on an operator's
 * behalf to a URL they typed, so without this check a registered URL could make audit-service reach
 * what only it can reach (server-side request forgery): the cloud metadata service at
 * 169.254.169.254, MongoDB or Kafka on the private network, its own actuator on loopback. Only
 * globally routable unicast addresses pass; loopback, private, link-local, carrier-grade NAT,
 * unique-local, multicast, documentation, benchmarking and reserved ranges (and IPv6 forms that
 * embed one of them) do not.
 */
public final class AddressPolicy {

  private AddressPolicy() {}

  /** True when {@code address} is a public unicast address a webhook may be sent to. */
  public static boolean isPublic(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      return isPublic6(v6.getAddress());
    }
    if (address instanceof Inet4Address) {
      return isPublic4(address.getAddress());
    }
    return false;
  }

  private static boolean isPublic4(byte[] a) {
    int b0 = a[0] & 0xff;
    int b1 = a[1] & 0xff;
    int b2 = a[2] & 0xff;
    if (b0 == 0 || b0 == 10 || b0 == 127) {
      return false; // "this network", private, loopback
    }
    if (b0 == 100 && b1 >= 64 && b1 <= 127) {
      return false; // carrier-grade NAT
    }
    if (b0 == 169 && b1 == 254) {
      return false; // link-local, cloud metadata
    }
    if (b0 == 172 && b1 >= 16 && b1 <= 31) {
      return false;
    }
    if (b0 == 192 && b1 == 168) {
      return false;
    }
    if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) {
      return false; // IETF protocol assignments, TEST-NET-1
    }
    if (b0 == 192 && b1 == 88 && b2 == 99) {
      return false; // 6to4 relay anycast
    }
    if (b0 == 198 && (b1 == 18 || b1 == 19)) {
      return false; // benchmarking
    }
    if ((b0 == 198 && b1 == 51 && b2 == 100) || (b0 == 203 && b1 == 0 && b2 == 113)) {
      return false; // TEST-NET-2, TEST-NET-3
    }
    return b0 < 224; // multicast, reserved and broadcast from 224.0.0.0 up
  }

  private static boolean isPublic6(byte[] a) {
    boolean zeroPrefix = true;
    for (int i = 0; i < 10; i++) {
      zeroPrefix &= a[i] == 0;
    }
    if (zeroPrefix && a[10] == 0 && a[11] == 0) {
      // :: , ::1 and the deprecated IPv4-compatible ::a.b.c.d
      return false;
    }
    if (zeroPrefix && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
      return isPublic4(new byte[] {a[12], a[13], a[14], a[15]}); // IPv4-mapped
    }
    int first = a[0] & 0xff;
    int second = a[1] & 0xff;
    if (first == 0x00 && second == 0x64 && a[2] == (byte) 0xff && a[3] == (byte) 0x9b) {
      return isPublic4(new byte[] {a[12], a[13], a[14], a[15]}); // NAT64 64:ff9b::/96
    }
    if (first == 0x20 && second == 0x02) {
      return isPublic4(new byte[] {a[2], a[3], a[4], a[5]}); // 6to4 2002::/16
    }
    if (first == 0x20 && second == 0x01 && a[2] == 0x0d && (a[3] & 0xff) == 0xb8) {
      return false; // documentation 2001:db8::/32
    }
    if (first == 0x20 && second == 0x01 && a[2] == 0 && a[3] == 0) {
      return false; // Teredo 2001::/32 (tunnels to arbitrary IPv4)
    }
    if ((first & 0xfe) == 0xfc) {
      return false; // unique local fc00::/7
    }
    if (first == 0xfe && (second & 0xc0) == 0x80) {
      return false; // link-local fe80::/10
    }
    if (first == 0xfe && (second & 0xc0) == 0xc0) {
      return false; // deprecated site-local fec0::/10
    }
    if (first == 0xff) {
      return false; // multicast
    }
    return (first & 0xe0) == 0x20; // global unicast 2000::/3
  }
}

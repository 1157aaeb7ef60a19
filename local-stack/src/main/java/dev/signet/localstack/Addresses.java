package dev.signet.localstack;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Checks of the addresses given on the command line. */
final class Addresses {

  private Addresses() {}

  /**
   * An IPv4 or IPv6 literal (brackets allowed); host names are refused, so that parsing never waits
   * for DNS and every component reads the address the same way.
   */
  static String ipAddress(String value, String option) {
    String address = value.trim();
    if (address.startsWith("[") && address.endsWith("]")) {
      address = address.substring(1, address.length() - 1);
    }
    boolean ipv4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = address.contains(":") && address.matches("[0-9A-Fa-f:.]+");
    String problem =
        option + " needs an IP address such as 127.0.0.1 or 0.0.0.0, got " + value.trim();
    if (ipv4) {
      for (String octet : address.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          throw new IllegalArgumentException(problem);
        }
      }
    } else if (ipv6) {
      try {
        // In brackets the JDK parses an IPv6 literal or fails; it never asks DNS.
        InetAddress.getByName("[" + address + "]");
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(problem, e);
      }
    } else {
      throw new IllegalArgumentException(problem);
    }
    return address;
  }
}

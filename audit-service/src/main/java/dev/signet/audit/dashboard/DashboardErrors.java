package dev.signet.audit.dashboard;

import java.nio.charset.StandardCharsets;

/** The error body of every dashboard endpoint: {@code {"error","errorDescription"}}. */
final class DashboardErrors {

  private DashboardErrors() {}

  static byte[] body(String code, String description) {
    return ("{\"error\":\""
            + escape(code)
            + "\",\"errorDescription\":\""
            + escape(description)
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '<' -> out.append("\\u003c");
        case '>' -> out.append("\\u003e");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}

package dev.signet.e2e.security;

import java.util.Map;

/** What a request carries to prove who sends it (headers only), under a name the report prints. */
record Credential(String name, Map<String, String> headers) {

  static final Credential NONE = new Credential("none", Map.of());

  Credential {
    headers = Map.copyOf(headers);
  }

  static Credential authorization(String name, String value) {
    return new Credential(name, Map.of("Authorization", value));
  }

  @Override
  public String toString() {
    return name;
  }
}

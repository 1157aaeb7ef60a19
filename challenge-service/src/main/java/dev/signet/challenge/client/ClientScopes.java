package dev.signet.challenge.client;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The scopes the client API understands. A token's {@code scope} claim is split on whitespace;
 * scopes not listed here grant nothing and are ignored (the server API decides what it puts into a
 * token; the client API only ever acts on the ones it knows).
 */
final class ClientScopes {

  /** Add an SMS authenticator although the user already has one. */
  static final String ADD_AUTHENTICATORS = "add:authenticators";

  /** Change the number of the user's existing SMS authenticator. */
  static final String UPDATE_AUTHENTICATORS = "update:authenticators";

  static final Set<String> KNOWN = Set.of(ADD_AUTHENTICATORS, UPDATE_AUTHENTICATORS);

  private ClientScopes() {}

  /** The known scopes in {@code scope}; unknown ones are dropped. */
  static Set<String> parse(String scope) {
    Set<String> granted = new LinkedHashSet<>();
    if (scope == null) {
      return granted;
    }
    for (String part : scope.trim().split("\\s+")) {
      if (KNOWN.contains(part)) {
        granted.add(part);
      }
    }
    return Set.copyOf(granted);
  }
}

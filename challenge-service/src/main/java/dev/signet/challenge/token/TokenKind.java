package dev.signet.challenge.token;

import java.util.Optional;

/**
 * The kinds of Signet token, told apart by the JOSE {@code typ} header so that one can never be
 * presented where another is expected: a track token is no proof of a challenge, and a success
 * token is the only kind {@code POST /v1/validate} accepts.
 */
public enum TokenKind {
  /** Issued by track for the browser's client API calls of that action attempt. */
  TRACK("signet-track+jwt"),
  /**
   * Issued by a client verify that proved no challenge of the action (enrolment, number change).
   */
  ACCESS("signet-access+jwt"),
  /**
   * Issued by claim and by the client verify that completed the action's challenge: what an app's
   * back end validates. The official browser SDK also keeps it as its bearer token.
   */
  SUCCESS("signet-success+jwt");

  private final String type;

  TokenKind(String type) {
    this.type = type;
  }

  /** The JOSE {@code typ} header value. */
  public String type() {
    return type;
  }

  /** The kind whose {@code typ} is exactly {@code type}; anything else is no Signet token. */
  static Optional<TokenKind> ofType(String type) {
    for (TokenKind kind : values()) {
      if (kind.type.equals(type)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}

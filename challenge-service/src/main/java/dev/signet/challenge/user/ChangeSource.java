package dev.signet.challenge.user;

/** Where an authenticator change came from; mirrors the events' AuthenticatorChangeSource. */
public enum ChangeSource {
  /** The server API, trusting the caller's own verification. */
  SERVER_API,
  /** The client API, after a code sent by Signet was verified. */
  CLIENT_API,
  /** A user update that set a verified phone number. */
  USER_UPDATE,
  /** The deletion of the user. */
  USER_DELETED
}

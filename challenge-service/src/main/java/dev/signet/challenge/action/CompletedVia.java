package dev.signet.challenge.action;

/** Where the user completed an action's challenge, carried by its state-changed event. */
public enum CompletedVia {
  /** The app's own screens, through the client API. */
  CLIENT_API,
  /** Signet's hosted (pre-built) page. */
  PREBUILT_UI
}

package dev.signet.sandbox.auth;

/** Outcome of checking the credentials of a send. */
public sealed interface Authentication {

  /**
   * @param apiKey the API key that sent (reported back in receipts); null for application JWTs
   * @param applicationId the Vonage application of a JWT, if any
   */
  record Authenticated(String apiKey, String applicationId) implements Authentication {}

  /** No credentials at all. */
  record Missing(String what) implements Authentication {}

  /** Credentials present but wrong. */
  record Invalid(String reason) implements Authentication {}
}

package dev.signet.platform.security;

import org.springframework.security.core.AuthenticationException;

/**
 * A presented credential that must not be trusted, with the documented error code the client sees
 * ({@code unauthorized}, or e.g. {@code expired_token} where a client reacts to expiry).
 */
public class CredentialRejectedException extends AuthenticationException {

  private final String code;

  public CredentialRejectedException(String code, String description) {
    super(description);
    this.code = code;
  }

  public String code() {
    return code;
  }
}

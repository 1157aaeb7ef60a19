package dev.signet.platform.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * What the {@code Authorization} header presents, not yet checked: a Basic user name (the password
 * part is ignored, as Authsignal's SDKs send the secret as the user name), a Bearer value, or an
 * unusable header.
 */
public final class PresentedCredential extends AbstractAuthenticationToken {

  /** How the credential was sent. */
  public enum Scheme {
    BASIC,
    BEARER,
    UNUSABLE
  }

  private final Scheme scheme;
  private final String value;

  public PresentedCredential(Scheme scheme, String value) {
    super(List.of());
    this.scheme = scheme;
    this.value = value;
    setAuthenticated(false);
  }

  public Scheme scheme() {
    return scheme;
  }

  /** The Basic user name or the Bearer value; empty for an unusable header. */
  public String value() {
    return value;
  }

  @Override
  public Object getCredentials() {
    return value;
  }

  @Override
  public Object getPrincipal() {
    return "unauthenticated";
  }

  @Override
  public String toString() {
    // Never the value: it is a secret or a token.
    return "PresentedCredential[" + scheme + "]";
  }
}

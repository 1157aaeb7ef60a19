package dev.signet.platform.security;

import dev.signet.platform.security.PresentedCredential.Scheme;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import reactor.core.publisher.Mono;

/**
 * Checks a {@link PresentedCredential} against the service's configured secrets, each granting one
 * authority, and hands any other Bearer value to the service's token manager (if it has one). Every
 * secret is compared, whatever matched before, so the time taken does not tell which one matched. A
 * credential that matches nothing fails: it never falls back to anonymous.
 */
public final class CredentialAuthenticationManager implements ReactiveAuthenticationManager {

  private record SecretRule(SharedSecret secret, Set<Scheme> schemes, String authority) {}

  private final List<SecretRule> secrets;
  private final ReactiveAuthenticationManager bearerTokens;

  private CredentialAuthenticationManager(
      List<SecretRule> secrets, ReactiveAuthenticationManager bearerTokens) {
    this.secrets = List.copyOf(secrets);
    this.bearerTokens = bearerTokens;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Mono<Authentication> authenticate(Authentication authentication) {
    if (!(authentication instanceof PresentedCredential presented)) {
      return Mono.empty();
    }
    Set<String> granted = new LinkedHashSet<>();
    for (SecretRule rule : secrets) {
      boolean matches = rule.secret().matches(presented.value());
      if (matches && rule.schemes().contains(presented.scheme())) {
        granted.add(rule.authority());
      }
    }
    if (!granted.isEmpty()) {
      return Mono.just(
          UsernamePasswordAuthenticationToken.authenticated(
              String.join("+", granted).toLowerCase(java.util.Locale.ROOT),
              null,
              AuthorityUtils.createAuthorityList(granted)));
    }
    if (presented.scheme() == Scheme.BEARER && bearerTokens != null) {
      return bearerTokens.authenticate(presented);
    }
    return Mono.error(
        new CredentialRejectedException(
            "unauthorized", "The credential is not valid for this service."));
  }

  /** Collects the secrets a service accepts. */
  public static final class Builder {

    private final List<SecretRule> secrets = new ArrayList<>();
    private ReactiveAuthenticationManager bearerTokens;

    /**
     * {@code secret} sent as the Basic user name (the server API, as Authsignal's SDKs send it).
     */
    public Builder basicUser(SharedSecret secret, String authority) {
      secrets.add(new SecretRule(secret, EnumSet.of(Scheme.BASIC), authority));
      return this;
    }

    /** {@code secret} sent as a Bearer value or as the Basic user name (machine credentials). */
    public Builder bearerOrBasicUser(SharedSecret secret, String authority) {
      secrets.add(new SecretRule(secret, EnumSet.of(Scheme.BASIC, Scheme.BEARER), authority));
      return this;
    }

    /** Any Bearer value that is no secret goes to {@code tokens} (e.g. signed client tokens). */
    public Builder bearerTokens(ReactiveAuthenticationManager tokens) {
      this.bearerTokens = tokens;
      return this;
    }

    public CredentialAuthenticationManager build() {
      return new CredentialAuthenticationManager(secrets, bearerTokens);
    }
  }
}

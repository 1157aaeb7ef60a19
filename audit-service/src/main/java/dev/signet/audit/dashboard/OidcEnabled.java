package dev.signet.audit.dashboard;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** OIDC sign-in is on while {@code signet.dashboard.oidc.issuer-uri} is not empty. */
final class OidcEnabled implements Condition {

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    String issuer = context.getEnvironment().getProperty("signet.dashboard.oidc.issuer-uri", "");
    return !issuer.isBlank();
  }
}

package dev.signet.audit.dashboard;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * OIDC sign-in is on while {@code signet.dashboard.oidc.issuer-uri} is not empty; read through the
 * settings record ({@link DashboardProperties.Oidc#enabled}), as a condition runs before beans.
 */
final class OidcEnabled implements Condition {

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    return Binder.get(context.getEnvironment())
        .bind("signet.dashboard.oidc", DashboardProperties.Oidc.class)
        .map(DashboardProperties.Oidc::enabled)
        .orElse(false);
  }
}

package dev.signet.audit.web;

import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * A further way to sign in to the dashboard (OpenID Connect), contributed by the dashboard to the
 * one security chain: its own filters, and the few routes it needs open before a session exists.
 */
public interface DashboardSignIn {

  void configure(ServerHttpSecurity http);

  void permit(ServerHttpSecurity.AuthorizeExchangeSpec exchanges);
}

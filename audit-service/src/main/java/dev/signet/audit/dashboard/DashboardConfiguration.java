package dev.signet.audit.dashboard;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/** Wiring of the operator dashboard: accounts, sessions, review decisions and the page routes. */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

  private static final Logger log = LoggerFactory.getLogger(DashboardConfiguration.class);

  @Bean
  OperatorSessions dashboardOperatorSessions(
      DashboardProperties properties,
      ReactiveMongoTemplate mongo,
      SessionCookies cookies,
      ObjectProvider<Clock> clock) {
    return new OperatorSessions(
        mongo,
        cookies,
        properties.sessionTtl(),
        clock.getIfAvailable(Clock::systemUTC),
        new SecureRandom());
  }

  /** {@code {bcrypt}}, {@code {argon2}}, ... as Spring Security's delegating encoder reads them. */
  @Bean
  PasswordEncoder dashboardPasswordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  OperatorAccounts dashboardOperatorAccounts(
      DashboardProperties properties, PasswordEncoder encoder) {
    OperatorAccounts accounts = OperatorAccounts.parse(properties.operators(), encoder);
    if (accounts.isEmpty() && !properties.oidc().enabled()) {
      log.warn(
          "no dashboard operator is configured (SIGNET_DASHBOARD_OPERATORS) and OIDC is off:"
              + " nobody can sign in to the dashboard");
    } else {
      log.info("dashboard operators configured count={}", accounts.usernames().size());
    }
    return accounts;
  }

  @Bean
  SessionCookies dashboardSessionCookies(DashboardProperties properties) {
    return new SessionCookies(properties.secureCookie());
  }

  @Bean
  ReviewDecisions dashboardReviewDecisions(
      DashboardProperties properties,
      ReactiveMongoTemplate mongo,
      JsonMapper json,
      ObjectProvider<Clock> clock) {
    return new ReviewDecisions(properties, mongo, json, clock.getIfAvailable(Clock::systemUTC));
  }

  @Bean
  VerificationLockResets dashboardVerificationLockResets(
      DashboardProperties properties,
      ReactiveMongoTemplate mongo,
      JsonMapper json,
      ObjectProvider<Clock> clock) {
    return new VerificationLockResets(
        properties, mongo, json, clock.getIfAvailable(Clock::systemUTC));
  }

  @Bean
  RouteOperations dashboardRouteOperations(DashboardProperties properties, JsonMapper json) {
    return new RouteOperations(properties, json);
  }

  @Bean
  SignInThrottle dashboardSignInThrottle(ReactiveMongoTemplate mongo, ObjectProvider<Clock> clock) {
    return new SignInThrottle(mongo, clock.getIfAvailable(Clock::systemUTC));
  }

  /**
   * Newest-first listing of decisions, expiry of sign-in windows and of sessions (TTL indexes on
   * MongoDB; the code checks expiry itself too); created idempotently at start-up, before the API
   * starts.
   */
  @Bean
  SmartInitializingSingleton dashboardReviewIndexes(ReactiveMongoTemplate mongo) {
    return () ->
        mongo
            .indexOps(ReviewDecisions.COLLECTION)
            .createIndex(new Index().on("reviewedAt", Sort.Direction.DESC).named("reviewedAt"))
            .then(
                mongo
                    .indexOps(ReviewDecisions.COLLECTION)
                    .createIndex(
                        new Index()
                            .on("userId", Sort.Direction.ASC)
                            .on("reviewedAt", Sort.Direction.DESC)
                            .named("userId_reviewedAt")))
            .then(
                mongo
                    .indexOps(SignInThrottle.COLLECTION)
                    .createIndex(
                        new Index()
                            .on("windowStart", Sort.Direction.ASC)
                            .expire(SignInThrottle.WINDOW)
                            .named("windowStart")))
            .then(
                mongo
                    .indexOps(OperatorSessions.COLLECTION)
                    .createIndex(
                        new Index()
                            .on("expiresAt", Sort.Direction.ASC)
                            .expire(Duration.ZERO)
                            .named("expiresAt")))
            .block();
  }

  /**
   * {@code /} and {@code /dashboard} lead to {@code /dashboard/}, which serves the single page; the
   * other files under {@code static/dashboard/} are served by the static resource handler.
   */
  @Bean
  RouterFunction<ServerResponse> dashboardPages() {
    Resource index = new ClassPathResource("static/dashboard/index.html");
    return route(
            GET("/dashboard/"),
            request ->
                ServerResponse.ok()
                    .contentType(MediaType.TEXT_HTML)
                    .cacheControl(CacheControl.noCache())
                    .bodyValue(index))
        .andRoute(
            GET("/dashboard").or(GET("/")),
            request -> ServerResponse.temporaryRedirect(URI.create("/dashboard/")).build());
  }
}

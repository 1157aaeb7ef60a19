package dev.signet.audit.dashboard;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.net.URI;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/** Wiring of the operator dashboard: sessions, review decisions and the page routes. */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

  @Bean
  SessionTokens dashboardSessionTokens(
      DashboardProperties properties, ObjectProvider<Clock> clock) {
    return new SessionTokens(
        properties.managementSecret(),
        properties.sessionTtl(),
        clock.getIfAvailable(Clock::systemUTC));
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
  SignInThrottle dashboardSignInThrottle(ReactiveMongoTemplate mongo, ObjectProvider<Clock> clock) {
    return new SignInThrottle(mongo, clock.getIfAvailable(Clock::systemUTC));
  }

  /**
   * Newest-first listing of decisions, expiry of sign-in windows; created idempotently at start-up.
   */
  @Bean
  ApplicationRunner dashboardReviewIndexes(ReactiveMongoTemplate mongo) {
    return args ->
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
                        new Index().on("windowStart", Sort.Direction.ASC).named("windowStart")))
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

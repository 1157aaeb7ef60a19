package dev.signet.platform;

import dev.signet.platform.health.MongoPingHealthIndicator;
import dev.signet.platform.mongo.MongoTimeouts;
import dev.signet.platform.warmup.WarmUp;
import dev.signet.platform.warmup.WarmUpCall;
import dev.signet.platform.warmup.WarmUpSettings;
import dev.signet.platform.web.ErrorResponder;
import dev.signet.platform.web.Firewall;
import dev.signet.platform.web.RequestLogFilter;
import dev.signet.platform.web.StrictJson;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;

/**
 * What every Signet service gets by depending on this module: the strict firewall (answered with
 * the service's own JSON 400), JSON bodies bound without type coercion ({@link StrictJson}), the
 * one-line request log, the MongoDB {@code ping} health check, the MongoDB client's time limits
 * ({@link MongoTimeouts}) and the warm-up before readiness (with the {@link WarmUpCall}s the
 * service declares). The security chain itself stays in each service, built with {@link
 * dev.signet.platform.security.SignetSecurity}.
 */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration",
    beforeName =
        "org.springframework.boot.mongodb.autoconfigure.health.MongoReactiveHealthContributorAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties(WarmUpSettings.class)
public class PlatformAutoConfiguration {

  @Bean
  WarmUp signetWarmUp(
      ObjectProvider<WarmUpCall> calls,
      WarmUpSettings settings,
      WebServerApplicationContext context) {
    return new WarmUp(
        calls.orderedStream().toList(), settings, () -> context.getWebServer().getPort());
  }

  @Bean
  ServerWebExchangeFirewall signetFirewall() {
    return Firewall.strict();
  }

  @Bean
  ServerExchangeRejectedHandler signetFirewallRejections(ObjectProvider<ErrorResponder> errors) {
    return Firewall.rejectedHandler(errors.getIfAvailable(() -> ErrorResponder.json("Bearer")));
  }

  @Bean
  JsonMapperBuilderCustomizer signetStrictJson() {
    return StrictJson::configure;
  }

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  RequestLogFilter signetRequestLog() {
    return new RequestLogFilter();
  }

  /** Only where the service talks to MongoDB. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ReactiveMongoTemplate.class)
  static class MongoHealth {

    @Bean("mongoHealthIndicator")
    @ConditionalOnBean(ReactiveMongoTemplate.class)
    MongoPingHealthIndicator mongoHealthIndicator(ReactiveMongoTemplate mongo) {
      return new MongoPingHealthIndicator(mongo);
    }

    /**
     * Before Boot's own customizer, which applies the connection string: options given there win.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    MongoClientSettingsBuilderCustomizer signetMongoTimeouts(Environment env) {
      MongoTimeouts defaults = MongoTimeouts.DEFAULTS;
      MongoTimeouts timeouts =
          new MongoTimeouts(
              env.getProperty(
                  "signet.mongodb.server-selection-timeout",
                  Duration.class,
                  defaults.serverSelection()),
              env.getProperty("signet.mongodb.connect-timeout", Duration.class, defaults.connect()),
              env.getProperty("signet.mongodb.read-timeout", Duration.class, defaults.read()),
              env.getProperty(
                  "signet.mongodb.pool-wait-timeout", Duration.class, defaults.poolWait()));
      return timeouts::apply;
    }
  }
}

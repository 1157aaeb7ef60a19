package dev.signet.challenge.ui;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Binds the hosted page's settings and serves its static files (script, style, icon). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UiProperties.class)
class UiConfiguration {

  @Bean
  RouterFunction<ServerResponse> hostedPageAssets() {
    return RouterFunctions.resources("/ui/assets/**", new ClassPathResource("ui/assets/"));
  }
}

package dev.signet.oidcprovider;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * A real OpenID Connect provider for tests: Spring Authorization Server as Boot configures it from
 * properties (client registration, issuer), with two users. Outside audit-service's packages, so
 * that no test context picks it up as its configuration.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
    excludeName = {
      "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration",
      "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration",
      "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration",
      "org.springframework.boot.data.mongodb.autoconfigure.DataMongoReactiveAutoConfiguration",
      "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
      "dev.signet.platform.PlatformAutoConfiguration"
    })
public class OidcProvider {

  /** olivia is an operator of the dashboard under test, mallory is not. */
  @Bean
  UserDetailsService providerUsers() {
    return new InMemoryUserDetailsManager(
        User.withUsername("olivia").password("{noop}provider-password").roles("USER").build(),
        User.withUsername("mallory").password("{noop}provider-password").roles("USER").build());
  }
}

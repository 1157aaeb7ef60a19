package dev.signet.sandbox;

import dev.signet.sandbox.twilio.TwilioSandboxProperties;
import java.time.Clock;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A Vonage-compatible stand-in for the SMS and Messages APIs, so the real Vonage SDK is exercised
 * in every environment while messages land in an inspectable inbox instead of on a phone.
 */
@SpringBootApplication
@EnableConfigurationProperties({SandboxProperties.class, TwilioSandboxProperties.class})
public class SmsSandboxApplication {

  public static void main(String[] args) {
    SpringApplication.run(SmsSandboxApplication.class, args);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Message ids are random UUIDs ({@link UUID#randomUUID()} draws from a SecureRandom). */
  @Bean
  MessageIds messageIds() {
    return () -> UUID.randomUUID().toString();
  }
}

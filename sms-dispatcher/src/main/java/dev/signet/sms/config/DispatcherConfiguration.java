package dev.signet.sms.config;

import com.twilio.http.TwilioRestClient;
import com.vonage.client.HttpConfig;
import com.vonage.client.VonageClient;
import dev.signet.events.Topics;
import dev.signet.platform.kafka.DeadLetters;
import dev.signet.platform.kafka.ProducedTopics;
import dev.signet.platform.outbox.Outbox;
import dev.signet.sms.dispatch.CodeOpener;
import dev.signet.sms.dispatch.SendAttempts;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Wiring of the Vonage and Twilio clients, the code opener and Kafka error handling. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class DispatcherConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Randomness for retry jitter. */
  @Bean
  RandomGenerator dispatchRandom() {
    return new SecureRandom();
  }

  /**
   * Indexes the attempt store and the outbox relay need, created at start-up (idempotent) before
   * the relay, the listeners and the API start: the embedded MongoDB-wire server fails a query that
   * runs while an index of its collection is being created.
   */
  @Bean
  SmartInitializingSingleton attemptIndexes(SendAttempts attempts, Outbox outbox) {
    return () ->
        attempts.ensureIndexes().then(outbox.ensurePendingIndexes()).block(Duration.ofSeconds(30));
  }

  /** The SMS topics this service produces, created at start-up where missing. */
  @Bean
  KafkaAdmin.NewTopics producedTopics() {
    return ProducedTopics.declare(
        Topics.producedBy("sms-dispatcher"), Topics.Topic::name, Topics.Topic::configs);
  }

  @Bean
  CodeOpener codeOpener(DispatcherProperties properties) {
    return new CodeOpener(properties.sealKeys(), properties.acceptLegacySeal());
  }

  @Bean
  VonageClient vonageClient(DispatcherProperties properties) {
    HttpConfig.Builder http =
        HttpConfig.builder().timeoutMillis((int) properties.vonageTimeout().toMillis());
    if (properties.vonageBaseUri() != null && !properties.vonageBaseUri().isBlank()) {
      http.baseUri(properties.vonageBaseUri());
    }
    return VonageClient.builder()
        .apiKey(properties.vonageApiKey())
        .apiSecret(properties.vonageApiSecret())
        .httpConfig(http.build())
        .build();
  }

  /**
   * Twilio's REST client, only when an account SID and auth token are configured: its HTTP client
   * sends to {@code signet.sms.twilio.base-uri} when set (the SMS sandbox) and makes each request
   * once.
   */
  @Bean
  @ConditionalOnExpression(
      "'${signet.sms.twilio.account-sid:}' != '' and '${signet.sms.twilio.auth-token:}' != ''")
  TwilioRestClient twilioClient(TwilioProperties twilio, DispatcherProperties properties) {
    return new TwilioRestClient.Builder(twilio.accountSid(), twilio.authToken())
        .httpClient(
            new TwilioHttpClient(twilio.baseUri(), twilio.timeout(), properties.providerThreads()))
        .build();
  }

  /**
   * Failed records go to {@code <topic>.dlt}, poison pills at once, others after retries; a code
   * that cannot be unsealed is a poison pill too.
   */
  @Bean
  DefaultErrorHandler kafkaErrorHandler(ProducerFactory<Object, Object> producerFactory) {
    DefaultErrorHandler handler =
        DeadLetters.errorHandler(producerFactory, Topics::dlt, Duration.ofMillis(500));
    // A batch that fails at one record hands the records behind it back to the listener instead of
    // seeking (which the container reports as an error with a stack trace per poison pill).
    handler.setSeekAfterError(false);
    handler.addNotRetryableExceptions(CodeOpener.SealException.class);
    return handler;
  }
}

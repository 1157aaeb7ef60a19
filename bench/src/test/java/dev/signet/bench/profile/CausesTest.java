package dev.signet.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CausesTest {

  @Test
  void aLoggingFrameAnywhereNamesTheCause() {
    // leaf first: the JDK formats a date for logback, called from a Kafka listener
    List<String> stack =
        List.of(
            "java.time.format.DateTimeFormatter.format",
            "ch.qos.logback.classic.Logger.info",
            "dev.signet.sms.dispatch.AttemptOutcomes.logOutcome",
            "org.apache.kafka.clients.consumer.KafkaConsumer.poll");

    assertThat(Causes.of(stack)).isEqualTo("logging");
  }

  @Test
  void theVonageSdkWinsOverTheJacksonItParsesWith() {
    List<String> stack =
        List.of(
            "com.fasterxml.jackson.databind.ObjectReader.<init>",
            "com.vonage.client.Jsonable.fromJson",
            "dev.signet.sms.dispatch.SmsSender.sms");

    assertThat(Causes.of(stack)).startsWith("Vonage SDK");
  }

  @Test
  void otherwiseTheInnermostLibraryFrameNamesTheCause() {
    List<String> stack =
        List.of(
            "java.util.HashMap.getNode",
            "org.bson.codecs.DocumentCodec.encode",
            "com.mongodb.internal.connection.InternalStreamConnection.sendMessage",
            "reactor.core.publisher.Mono.subscribe",
            "dev.signet.sms.dispatch.SendAttempts.complete");

    assertThat(Causes.of(stack)).isEqualTo("Mongo driver + BSON");
  }

  @Test
  void aStackOfJdkFramesOnlyGetsTheJdkKindOrOther() {
    assertThat(Causes.of(List.of("java.util.regex.Pattern.matcher", "java.lang.Thread.run")))
        .isEqualTo("JDK: regex");
    assertThat(Causes.of(List.of("java.lang.String.equals", "java.lang.Thread.run")))
        .isEqualTo("JDK, other");
  }
}

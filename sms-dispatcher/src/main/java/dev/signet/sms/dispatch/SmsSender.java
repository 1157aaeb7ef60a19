package dev.signet.sms.dispatch;

import com.vonage.client.VonageApiResponseException;
import com.vonage.client.VonageClient;
import com.vonage.client.VonageClientException;
import com.vonage.client.messages.MessageResponse;
import com.vonage.client.messages.sms.SmsTextRequest;
import com.vonage.client.sms.SmsSubmissionResponse;
import com.vonage.client.sms.messages.TextMessage;
import dev.signet.platform.tracing.ClientSpans;
import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.routing.Route;
import dev.signet.sms.template.Gsm7;
import dev.signet.sms.template.MessageTemplates.Message;
import dev.signet.sms.template.WhatsappTemplateProperties;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Sends one text on one route with the provider's official SDK (Vonage's SMS API or Messages API,
 * Twilio's Programmable Messaging) and classifies the answer: accepted, transient failure (worth
 * another call) or permanent rejection. The SDKs block, so the call runs on a pool of its own,
 * never on a Kafka or Netty thread.
 */
@Component
class SmsSender {

  static final String PROVIDER = "vonage";
  static final int MAX_SMS_CLIENT_REF = 40;

  private final VonageClient vonage;
  private final DispatcherProperties properties;
  private final Scheduler scheduler;
  private final TwilioSender twilio;
  private final MeterRegistry meters;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final ObservationRegistry observations;
  private final WhatsappTemplateProperties whatsappTemplates;

  SmsSender(
      VonageClient vonage,
      TwilioSender twilio,
      DispatcherProperties properties,
      WhatsappTemplateProperties whatsappTemplates,
      MeterRegistry meters,
      ObjectProvider<ObservationRegistry> observations) {
    this.vonage = vonage;
    this.twilio = twilio;
    this.meters = meters;
    this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
    this.properties = properties;
    this.whatsappTemplates = whatsappTemplates;
    // The SDK blocks a thread per call: a pool of its own, as large as the calls that may be in
    // flight at once, so a slow provider cannot starve the shared bounded elastic scheduler and
    // the shared one cannot cap the send rate.
    this.scheduler =
        Schedulers.newBoundedElastic(
            properties.providerThreads(), Integer.MAX_VALUE, "vonage-call", 60, true);
  }

  /**
   * One provider call on a route. {@code clientRef} travels with the message and comes back in its
   * delivery receipts, which ties a receipt to its attempt even before the outcome is recorded;
   * {@code calling} runs on the provider thread right before the SDK call.
   */
  Mono<ProviderOutcome> send(
      Route route, String to, Message message, String clientRef, String region, Runnable calling) {
    String text = message.text();
    String destination = to.startsWith("+") ? to.substring(1) : to;
    Timer timer = timers.computeIfAbsent(route.id(), id -> providerCallTimer(meters, route));
    Callable<ProviderOutcome> call =
        () -> {
          calling.run();
          long started = System.nanoTime();
          try {
            return switch (route.kind()) {
              case VONAGE_WHATSAPP -> whatsapp(destination, message, clientRef, route.sender());
              case VONAGE_MESSAGES ->
                  messagesSms(destination, text, clientRef, senderFor(route, region));
              case TWILIO_MESSAGING -> twilio.send(to, text, clientRef, route.sender());
              case VONAGE_SMS -> sms(destination, text, clientRef, senderFor(route, region));
            };
          } finally {
            timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          }
        };
    // A span of the challenge's trace, tagged with the channel only: never the number or the text.
    return ClientSpans.around(
            observations,
            "provider send",
            route.kind().provider(),
            KeyValues.of(
                "signet.channel", route.kind().channel().name(), "signet.route", route.id()),
            Mono.fromCallable(call)
                .subscribeOn(scheduler)
                // The SDK has its own socket timeout; this bounds connection pool waits too.
                .timeout(properties.vonageTimeout().multipliedBy(2)))
        .onErrorResume(e -> Mono.just(classify(e)));
  }

  private String senderFor(Route route, String region) {
    return route.sender() != null ? route.sender() : properties.senderFor(region);
  }

  private ProviderOutcome sms(String destination, String text, String clientRef, String sender) {
    long started = System.nanoTime();
    TextMessage message = new TextMessage(sender, destination, text, !Gsm7.isGsm7(text));
    // Vonage takes at most 40 characters; challenge-service's ids leave room for the attempt, an
    // id from elsewhere might not, and receipts still find the attempt by message id.
    if (clientRef.length() <= MAX_SMS_CLIENT_REF) {
      message.setClientReference(clientRef);
    }
    SmsSubmissionResponse response = vonage.getSmsClient().submitMessage(message);
    return SmsApiAnswers.classify(response, (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * WhatsApp through the Messages API, as the approved authentication template of the message's
   * language ({@link WhatsappOtpRequest}), never as free text: one message, no segments and no
   * price in the answer; a refusal arrives as an HTTP status (a {@code MessageResponseException}),
   * classified like the SMS API's HTTP failures.
   */
  private ProviderOutcome whatsapp(
      String destination, Message message, String clientRef, String routeSender) {
    String sender = routeSender != null ? routeSender : properties.whatsappSender();
    if (sender == null) {
      return new ProviderOutcome.Failed(
          FailureReason.CONFIGURATION,
          false,
          null,
          "no WhatsApp sender number configured (SIGNET_WHATSAPP_SENDER)");
    }
    long started = System.nanoTime();
    MessageResponse response =
        vonage
            .getMessagesClient()
            .sendMessage(
                WhatsappOtpRequest.of(
                    sender,
                    destination,
                    message.code(),
                    whatsappTemplates.forLanguage(message.locale()),
                    clientRef));
    return messagesAnswer(response, started, 1);
  }

  /**
   * An SMS through the Messages API: one message uuid whatever the parts, no price in the answer.
   */
  private ProviderOutcome messagesSms(
      String destination, String text, String clientRef, String sender) {
    long started = System.nanoTime();
    MessageResponse response =
        vonage
            .getMessagesClient()
            .sendMessage(
                SmsTextRequest.builder()
                    .from(sender)
                    .to(destination)
                    .text(text)
                    .clientRef(clientRef)
                    .build());
    return messagesAnswer(response, started, Gsm7.segments(text));
  }

  /**
   * The Messages API's answer: one message uuid whatever the parts, no price; {@code segments} is
   * what the message is billed as.
   */
  private static ProviderOutcome messagesAnswer(
      MessageResponse response, long started, int segments) {
    if (response == null || response.getMessageUuid() == null) {
      return new ProviderOutcome.Failed(
          FailureReason.PROVIDER_ERROR, true, null, "no message_uuid in the answer");
    }
    return new ProviderOutcome.Accepted(
        List.of(response.getMessageUuid().toString()),
        null,
        null,
        (System.nanoTime() - started) / 1_000_000,
        segments);
  }

  /** The SDK call's duration, answered or failed, on one route. */
  private static Timer providerCallTimer(MeterRegistry meters, Route route) {
    return Timer.builder("signet.sms.provider.call")
        .description("Duration of one provider SDK call, whatever its outcome")
        .tag("channel", route.kind().channel().name())
        .tag("route", route.id())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(meters);
  }

  static ProviderOutcome.Failed classify(Throwable error) {
    if (error instanceof VonageApiResponseException api) {
      int status = api.getStatusCode();
      if (status == 429) {
        return new ProviderOutcome.Failed(
            FailureReason.THROTTLED, true, "429", "HTTP 429 from provider");
      }
      if (status >= 500 || status <= 0) {
        return new ProviderOutcome.Failed(
            FailureReason.PROVIDER_ERROR,
            true,
            status > 0 ? String.valueOf(status) : null,
            "HTTP " + status + " from provider");
      }
      FailureReason reason =
          status == 401 || status == 403 ? FailureReason.CONFIGURATION : FailureReason.REJECTED;
      return new ProviderOutcome.Failed(
          reason, false, String.valueOf(status), "HTTP " + status + " from provider");
    }
    if (isTimeout(error)) {
      return new ProviderOutcome.Failed(
          FailureReason.TIMEOUT, true, null, "no answer within the timeout");
    }
    if (error instanceof IllegalArgumentException || error instanceof IllegalStateException) {
      // The SDK refused to build the request (a sender that is not a number, say): no call was made
      // and another would be refused alike. The message may quote the number, so it is not kept.
      return new ProviderOutcome.Failed(
          FailureReason.CONFIGURATION,
          false,
          null,
          "request refused by the SDK: " + error.getClass().getSimpleName());
    }
    if (error instanceof VonageClientException) {
      // I/O failures and unparsable answers (an HTML error page from a proxy, say) are transient.
      return new ProviderOutcome.Failed(
          FailureReason.PROVIDER_ERROR, true, null, error.getClass().getSimpleName());
    }
    return new ProviderOutcome.Failed(
        FailureReason.PROVIDER_ERROR, true, null, error.getClass().getSimpleName());
  }

  private static boolean isTimeout(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
        return true;
      }
      if (t.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }
}

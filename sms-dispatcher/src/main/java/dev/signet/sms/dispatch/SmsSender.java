package dev.signet.sms.dispatch;

import com.vonage.client.VonageApiResponseException;
import com.vonage.client.VonageClient;
import com.vonage.client.VonageClientException;
import com.vonage.client.messages.MessageResponse;
import com.vonage.client.messages.whatsapp.WhatsappTextRequest;
import com.vonage.client.sms.MessageStatus;
import com.vonage.client.sms.SmsSubmissionResponse;
import com.vonage.client.sms.SmsSubmissionResponseMessage;
import com.vonage.client.sms.messages.TextMessage;
import dev.signet.platform.tracing.ClientSpans;
import dev.signet.sms.config.DispatcherProperties;
import dev.signet.sms.domain.Channel;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import dev.signet.sms.template.Gsm7;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import java.math.BigDecimal;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Sends one text through Vonage's SMS API with the official SDK and classifies the answer:
 * accepted, transient failure (worth another call) or permanent rejection. The SDK blocks, so the
 * call runs on the bounded elastic scheduler, never on a Kafka or Netty thread.
 */
@Component
class SmsSender {

  static final String PROVIDER = "vonage";
  static final int MAX_SMS_CLIENT_REF = 40;

  private final VonageClient vonage;
  private final DispatcherProperties properties;
  private final Scheduler scheduler;
  private final Timer smsCalls;
  private final Timer whatsappCalls;
  private final ObservationRegistry observations;

  SmsSender(
      VonageClient vonage,
      DispatcherProperties properties,
      MeterRegistry meters,
      ObjectProvider<ObservationRegistry> observations) {
    this.vonage = vonage;
    this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
    this.smsCalls = providerCallTimer(meters, "SMS");
    this.whatsappCalls = providerCallTimer(meters, "WHATSAPP");
    this.properties = properties;
    // The SDK blocks a thread per call: a pool of its own, as large as the calls that may be in
    // flight at once, so a slow provider cannot starve the shared bounded elastic scheduler and
    // the shared one cannot cap the send rate.
    this.scheduler =
        Schedulers.newBoundedElastic(
            properties.providerThreads(), Integer.MAX_VALUE, "vonage-call", 60, true);
  }

  /**
   * One provider call. {@code clientRef} travels with the message and comes back in its delivery
   * receipts, which ties a receipt to its attempt even before the outcome is recorded.
   */
  Mono<ProviderOutcome> send(String to, String text, String clientRef) {
    return send(to, text, clientRef, Channel.SMS, null);
  }

  /**
   * One provider call on the given channel: WhatsApp through the Messages API, SMS else through the
   * SMS API.
   */
  Mono<ProviderOutcome> send(
      String to, String text, String clientRef, Channel channel, String region) {
    return send(to, text, clientRef, channel, region, () -> {});
  }

  /**
   * As {@link #send(String, String, String, String, String)}; {@code calling} runs on the provider
   * thread right before the SDK call.
   */
  Mono<ProviderOutcome> send(
      String to, String text, String clientRef, Channel channel, String region, Runnable calling) {
    String destination = to.startsWith("+") ? to.substring(1) : to;
    boolean whatsapp = channel == Channel.WHATSAPP;
    Callable<ProviderOutcome> call =
        () -> {
          calling.run();
          long started = System.nanoTime();
          try {
            return whatsapp
                ? whatsapp(destination, text, clientRef)
                : sms(destination, text, clientRef, properties.senderFor(region));
          } finally {
            (whatsapp ? whatsappCalls : smsCalls)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          }
        };
    // A span of the challenge's trace, tagged with the channel only: never the number or the text.
    return ClientSpans.around(
            observations,
            "provider send",
            PROVIDER,
            KeyValues.of("signet.channel", channel.name()),
            Mono.fromCallable(call)
                .subscribeOn(scheduler)
                // The SDK has its own socket timeout; this bounds connection pool waits too.
                .timeout(properties.vonageTimeout().multipliedBy(2)))
        .onErrorResume(e -> Mono.just(classify(e)));
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
    return classify(response, (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * WhatsApp through the Messages API: one message, no segments and no price in the answer; a
   * refusal arrives as an HTTP status (a {@code MessageResponseException}), classified like the SMS
   * API's HTTP failures.
   */
  private ProviderOutcome whatsapp(String destination, String text, String clientRef) {
    if (properties.whatsappSender() == null) {
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
                WhatsappTextRequest.builder()
                    .from(properties.whatsappSender())
                    .to(destination)
                    .text(text)
                    .clientRef(clientRef)
                    .build());
    if (response == null || response.getMessageUuid() == null) {
      return new ProviderOutcome.Failed(
          FailureReason.PROVIDER_ERROR, true, null, "no message_uuid in the answer");
    }
    return new ProviderOutcome.Accepted(
        List.of(response.getMessageUuid().toString()),
        null,
        null,
        (System.nanoTime() - started) / 1_000_000);
  }

  /** The SDK call's duration, answered or failed, on one channel; registered once, at start. */
  private static Timer providerCallTimer(MeterRegistry meters, String channel) {
    return Timer.builder("signet.sms.provider.call")
        .description("Duration of one provider SDK call, whatever its outcome")
        .tag("channel", channel)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(meters);
  }

  static ProviderOutcome classify(SmsSubmissionResponse response, long latencyMillis) {
    List<String> ids = new ArrayList<>();
    BigDecimal price = null;
    String network = null;
    for (SmsSubmissionResponseMessage part : response.getMessages()) {
      if (part.getStatus() != MessageStatus.OK) {
        return rejected(part);
      }
      ids.add(part.getId());
      if (part.getMessagePrice() != null) {
        price = price == null ? part.getMessagePrice() : price.add(part.getMessagePrice());
      }
      network = network == null ? part.getNetwork() : network;
    }
    if (ids.isEmpty()) {
      return new ProviderOutcome.Failed(FailureReason.PROVIDER_ERROR, true, null, "empty response");
    }
    return new ProviderOutcome.Accepted(List.copyOf(ids), price, network, latencyMillis);
  }

  private static ProviderOutcome.Failed rejected(SmsSubmissionResponseMessage part) {
    MessageStatus status = part.getStatus();
    String code =
        status == MessageStatus.UNKNOWN ? null : String.valueOf(status.getMessageStatus());
    FailureReason reason =
        switch (status) {
          case THROTTLED -> FailureReason.THROTTLED;
          case INTERNAL_ERROR, TOO_MANY_BINDS, COMMS_FAILURE -> FailureReason.PROVIDER_ERROR;
          case INVALID_PARAMS,
              NUMBER_UNREACHABLE,
              NUMBER_DEACTIVATED,
              NON_WHITELISTED_DESTINATION ->
              FailureReason.INVALID_NUMBER;
          case NUMBER_BARRED, PARTNER_ACCOUNT_BARRED -> FailureReason.BARRED;
          case PARTNER_QUOTA_EXCEEDED -> FailureReason.PARTNER_QUOTA_EXCEEDED;
          case MISSING_PARAMS,
              INVALID_CREDENTIALS,
              INVALID_SIGNATURE,
              INVALID_FROM_ADDRESS,
              SIGNATURE_API_SECRET_DISALLOWED,
              ACCOUNT_NOT_HTTP ->
              FailureReason.CONFIGURATION;
          default -> FailureReason.REJECTED;
        };
    boolean retryable = reason == FailureReason.THROTTLED || reason == FailureReason.PROVIDER_ERROR;
    return new ProviderOutcome.Failed(reason, retryable, code, part.getErrorText());
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

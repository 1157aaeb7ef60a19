package dev.signet.sms.dispatch;

import com.vonage.client.VonageClient;
import com.vonage.client.sms.MessageStatus;
import com.vonage.client.sms.SmsSubmissionResponseMessage;
import com.vonage.client.sms.messages.TextMessage;
import dev.signet.sms.config.DispatcherProperties;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends one text through Vonage's SMS API with the official SDK. The SDK blocks, so the call runs
 * on the bounded elastic scheduler, never on a Kafka or Netty thread.
 */
@Component
class SmsSender {

  private final VonageClient vonage;
  private final DispatcherProperties properties;

  SmsSender(VonageClient vonage, DispatcherProperties properties) {
    this.vonage = vonage;
    this.properties = properties;
  }

  /** Result of one provider call: the provider's message id and status. */
  record Sent(String messageId, MessageStatus status, int segments) {}

  Mono<Sent> send(String to, String text) {
    boolean unicode = !Gsm7.isGsm7(text);
    String destination = to.startsWith("+") ? to.substring(1) : to;
    return Mono.fromCallable(
            () -> {
              var response =
                  vonage
                      .getSmsClient()
                      .submitMessage(
                          new TextMessage(properties.sender(), destination, text, unicode));
              SmsSubmissionResponseMessage first = response.getMessages().get(0);
              return new Sent(first.getId(), first.getStatus(), response.getMessageCount());
            })
        .subscribeOn(Schedulers.boundedElastic());
  }
}

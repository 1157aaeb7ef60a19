package dev.signet.sms.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.vonage.client.VonageClientException;
import dev.signet.sms.domain.FailureReason;
import dev.signet.sms.domain.ProviderOutcome;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class SmsSenderTest {

  @Test
  void aRequestTheSdkRefusesToBuildIsAConfigurationFailureThatQuotesNoNumber() {
    ProviderOutcome.Failed failed =
        SmsSender.classify(new IllegalArgumentException("Malformed E.164 number: +447700900123"));

    assertThat(failed.reason()).isEqualTo(FailureReason.CONFIGURATION);
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.detail()).doesNotContain("447700900123");
  }

  @Test
  void ioFailuresAndTimeoutsStayTransient() {
    assertThat(SmsSender.classify(new VonageClientException("connection refused")).retryable())
        .isTrue();
    assertThat(
            SmsSender.classify(new VonageClientException(new SocketTimeoutException("read")))
                .reason())
        .isEqualTo(FailureReason.TIMEOUT);
  }
}

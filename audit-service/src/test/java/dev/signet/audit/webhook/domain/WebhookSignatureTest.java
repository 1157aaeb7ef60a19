package dev.signet.audit.webhook.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final byte[] SECRET = "test-api-secret".getBytes(StandardCharsets.UTF_8);
  private static final String PAYLOAD =
      "{\"version\":1,\"id\":\"e-1\",\"type\":\"challenge.verified\"}";

  @Test
  void matchesTheValueAuthsignalsNodeSdkComputes() {
    // Computed with Node's crypto exactly as @authsignal/node's Webhook.constructEvent does:
    // createHmac("sha256", secret).update(t + "." + payload).digest("base64").replace("=", "").
    assertThat(WebhookSignature.header(SECRET, 1765000000L, PAYLOAD))
        .isEqualTo("t=1765000000,v2=oPJx7ujmRb7AAP/LpSNSNauvjBJD1lrpFMhf8vm8AF0");
  }

  @Test
  void aChangedByteTimestampOrSecretChangesTheSignature() {
    String original = WebhookSignature.header(SECRET, 1765000000L, PAYLOAD);
    String signature = original.substring(original.indexOf("v2="));
    assertThat(WebhookSignature.header(SECRET, 1765000000L, PAYLOAD.replace("e-1", "e-2")))
        .doesNotContain(signature);
    assertThat(WebhookSignature.header(SECRET, 1765000001L, PAYLOAD)).doesNotContain(signature);
    assertThat(
            WebhookSignature.header(
                "other-secret".getBytes(StandardCharsets.UTF_8), 1765000000L, PAYLOAD))
        .doesNotContain(signature);
  }

  @Test
  void refusesAnEmptySecret() {
    assertThatThrownBy(() -> WebhookSignature.header(new byte[0], 1L, PAYLOAD))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

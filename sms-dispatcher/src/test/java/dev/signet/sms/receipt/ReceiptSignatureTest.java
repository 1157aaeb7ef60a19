package dev.signet.sms.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.vonage.client.auth.RequestSigning;
import com.vonage.client.auth.hashutils.HashType;
import dev.signet.testsupport.VonageForms;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our verifier against signatures made by the Vonage SDK itself. */
class ReceiptSignatureTest {

  private static final String SECRET = "s3cr3t-signature-key";
  private final ReceiptSignature signature = new ReceiptSignature(SECRET, Duration.ofMinutes(5));

  @Test
  void acceptsReceiptsSignedByTheVonageSdk() {
    Map<String, String> params = signedBySdk(receipt(), SECRET);

    assertThat(signature.verify(params, Instant.now())).isEqualTo(ReceiptSignature.Verdict.VALID);
  }

  @Test
  void acceptsAnUpperCaseSignatureAndValuesWithAmpersandsAndEqualsSigns() {
    Map<String, String> receipt = receipt();
    receipt.put("client-ref", "a&b=c");
    Map<String, String> params = signedBySdk(receipt, SECRET);
    params.put("sig", params.get("sig").toUpperCase(Locale.ROOT));

    assertThat(signature.verify(params, Instant.now())).isEqualTo(ReceiptSignature.Verdict.VALID);
  }

  @Test
  void refusesTamperedParametersAndAnotherSecret() {
    Map<String, String> tampered = signedBySdk(receipt(), SECRET);
    tampered.put("status", "failed");
    Map<String, String> otherSecret = signedBySdk(receipt(), "another-secret");
    Map<String, String> added = signedBySdk(receipt(), SECRET);
    added.put("price", "0.00000001");

    assertThat(signature.verify(tampered, Instant.now()))
        .isEqualTo(ReceiptSignature.Verdict.INVALID);
    assertThat(signature.verify(otherSecret, Instant.now()))
        .isEqualTo(ReceiptSignature.Verdict.INVALID);
    assertThat(signature.verify(added, Instant.now())).isEqualTo(ReceiptSignature.Verdict.INVALID);
  }

  @Test
  void refusesUnsignedAndStaleReceipts() {
    Map<String, String> signed = signedBySdk(receipt(), SECRET);
    Map<String, String> unsigned = receipt();
    Map<String, String> noTimestamp = new LinkedHashMap<>(signed);
    noTimestamp.remove("timestamp");
    Map<String, String> garbledTimestamp = new LinkedHashMap<>(signed);
    garbledTimestamp.put("timestamp", "yesterday");

    assertThat(signature.verify(unsigned, Instant.now()))
        .isEqualTo(ReceiptSignature.Verdict.MISSING);
    assertThat(signature.verify(noTimestamp, Instant.now()))
        .isEqualTo(ReceiptSignature.Verdict.MISSING);
    assertThat(signature.verify(garbledTimestamp, Instant.now()))
        .isEqualTo(ReceiptSignature.Verdict.INVALID);
    assertThat(signature.verify(signed, Instant.now().plus(Duration.ofMinutes(6))))
        .isEqualTo(ReceiptSignature.Verdict.STALE);
    assertThat(signature.verify(signed, Instant.now().minus(Duration.ofMinutes(6))))
        .isEqualTo(ReceiptSignature.Verdict.STALE);
  }

  @Test
  void signsExactlyAsTheSdkDoes() {
    Map<String, String> params = signedBySdk(receipt(), SECRET);

    assertThat(signature.sign(params)).isEqualTo(params.get("sig"));
  }

  static Map<String, String> receipt() {
    return VonageForms.deliveryReceipt("63f112d5-20ba-45e3-a711-83cb31a12987");
  }

  /** The parameters plus {@code timestamp} and {@code sig} as the SDK computes them now. */
  static Map<String, String> signedBySdk(Map<String, String> params, String secret) {
    Map<String, String> signed = new LinkedHashMap<>(params);
    signed.putAll(
        RequestSigning.getSignatureForRequestParameters(params, secret, HashType.HMAC_SHA256));
    return signed;
  }
}

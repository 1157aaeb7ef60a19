package dev.signet.sandbox.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.vonage.client.auth.RequestSigning;
import com.vonage.client.auth.hashutils.HashType;
import dev.signet.sandbox.SandboxProperties.SignatureMethod;
import dev.signet.sandbox.SdkSignatures;
import dev.signet.testsupport.VonageForms;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class VonageSignatureTest {

  private static final String SECRET = "sig-secret-0123456789";

  @ParameterizedTest
  @CsvSource({
    "MD5HASH,MD5",
    "MD5,HMAC_MD5",
    "SHA1,HMAC_SHA1",
    "SHA256,HMAC_SHA256",
    "SHA512,HMAC_SHA512"
  })
  void producesTheSdksSignatureForTheSameParametersAndTime(SignatureMethod ours, HashType sdks)
      throws Exception {
    // given
    Map<String, String> params = receipt();
    long now = 1_764_000_000L;

    // when
    Map<String, String> signed = VonageSignature.sign(params, SECRET, ours, now);

    // then
    Method construct =
        RequestSigning.class.getDeclaredMethod(
            "constructSignatureForRequestParameters",
            Map.class,
            String.class,
            long.class,
            HashType.class);
    construct.setAccessible(true);
    @SuppressWarnings("unchecked")
    Map<String, String> sdk =
        (Map<String, String>) construct.invoke(null, params, SECRET, now, sdks);
    assertThat(signed)
        .containsEntry("timestamp", "1764000000")
        .containsEntry("sig", sdk.get("sig"));
  }

  @ParameterizedTest
  @CsvSource({"MD5HASH,MD5", "SHA256,HMAC_SHA256", "SHA512,HMAC_SHA512"})
  void verifiesWithTheSdkAsFormParametersAndAsJson(SignatureMethod ours, HashType sdks) {
    // given
    Map<String, String> signed =
        VonageSignature.sign(receipt(), SECRET, ours, Instant.now().getEpochSecond());

    // when / then
    assertThat(SdkSignatures.verifyParams(signed, SECRET, sdks)).isTrue();
    String json = JsonMapper.builder().build().writeValueAsString(signed);
    assertThat(SdkSignatures.verifyJson("application/json", json, SECRET, sdks)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"SHA256,HMAC_SHA256", "MD5HASH,MD5"})
  void aTamperedParameterOrAnotherSecretFailsVerification(SignatureMethod ours, HashType sdks) {
    // given
    Map<String, String> signed =
        VonageSignature.sign(receipt(), SECRET, ours, Instant.now().getEpochSecond());
    Map<String, String> tampered = new LinkedHashMap<>(signed);
    tampered.put("status", "failed");

    // when / then
    assertThat(SdkSignatures.verifyParams(tampered, SECRET, sdks)).isFalse();
    assertThat(SdkSignatures.verifyParams(signed, "another-secret", sdks)).isFalse();
    assertThat(VonageSignature.verify(tampered, SECRET, ours)).isFalse();
    assertThat(VonageSignature.verify(signed, SECRET, ours)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"SHA256,HMAC_SHA256"})
  void replacesAmpersandsAndEqualsSignsLikeTheSdk(SignatureMethod ours, HashType sdks) {
    // given
    Map<String, String> params = receipt();
    params.put("client-ref", "a=b&c");

    // when
    Map<String, String> signed =
        VonageSignature.sign(params, SECRET, ours, Instant.now().getEpochSecond());

    // then
    assertThat(SdkSignatures.verifyParams(signed, SECRET, sdks)).isTrue();
  }

  private static Map<String, String> receipt() {
    return VonageForms.deliveryReceipt("0f7c8a5e-1111-2222-3333-444455556666");
  }
}

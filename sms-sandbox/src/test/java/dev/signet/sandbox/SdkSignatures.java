package dev.signet.sandbox;

import com.vonage.client.auth.RequestSigning;
import com.vonage.client.auth.hashutils.HashType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Verifies webhook signatures with the Vonage SDK's own {@link RequestSigning}, exactly as a
 * receiver would. The SDK's public verifier only does {@code md5hash}; the HMAC variants live in a
 * package-private overload, reached here by reflection.
 */
public final class SdkSignatures {

  /** RequestSigning logs every parameter at INFO; keep a strong reference so the level sticks. */
  private static final Logger SDK_LOGGER = Logger.getLogger(RequestSigning.class.getName());

  static {
    SDK_LOGGER.setLevel(Level.WARNING);
  }

  private SdkSignatures() {}

  /** Query or form parameters, as a servlet parameter map. */
  public static boolean verifyParams(Map<String, String> params, String secret, HashType hashType) {
    Map<String, String[]> parameterMap = new LinkedHashMap<>();
    params.forEach((k, v) -> parameterMap.put(k, new String[] {v}));
    return verify(null, null, parameterMap, secret, hashType);
  }

  /** A JSON body, with the request's Content-Type. */
  public static boolean verifyJson(String contentType, String body, String secret, HashType type) {
    return verify(
        contentType,
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
        Map.of(),
        secret,
        type);
  }

  private static boolean verify(
      String contentType,
      InputStream body,
      Map<String, String[]> parameterMap,
      String secret,
      HashType hashType) {
    if (hashType == HashType.MD5) {
      return RequestSigning.verifyRequestSignature(body, contentType, parameterMap, secret);
    }
    try {
      Method method =
          RequestSigning.class.getDeclaredMethod(
              "verifyRequestSignature",
              String.class,
              InputStream.class,
              Map.class,
              String.class,
              long.class,
              HashType.class);
      method.setAccessible(true);
      return (boolean)
          method.invoke(
              null, contentType, body, parameterMap, secret, System.currentTimeMillis(), hashType);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("RequestSigning changed shape", e);
    }
  }
}

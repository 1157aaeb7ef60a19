package dev.signet.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Request bodies of challenge-service's server API (docs/api.md) as a client writes them, for the
 * service's integration tests and the end-to-end tests alike.
 */
public final class ApiBodies {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiBodies() {}

  /**
   * {@code POST /v1/challenge} for an SMS code to {@code phone} for {@code action}; {@code userId}
   * and {@code idempotencyKey} are left out when null.
   */
  public static String smsChallenge(
      String action, String phone, String userId, String idempotencyKey) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("verificationMethod", "SMS");
    body.put("action", action);
    body.put("phoneNumber", phone);
    if (userId != null) {
      body.put("userId", userId);
    }
    if (idempotencyKey != null) {
      body.put("idempotencyKey", idempotencyKey);
    }
    return write(body);
  }

  /** {@code POST /v1/verify} with {@code code} for {@code challengeId}. */
  public static String verify(String challengeId, String code) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("challengeId", challengeId);
    body.put("verificationCode", code);
    return write(body);
  }

  private static String write(Map<String, String> body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

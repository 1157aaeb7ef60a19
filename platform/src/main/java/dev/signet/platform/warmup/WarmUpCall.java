package dev.signet.platform.warmup;

import java.util.Map;

/**
 * One request a service sends to itself before it reports ready: a route of its request path,
 * chosen so that answering it changes nothing (an unknown id, a body the validation refuses, a
 * read). Its answer is not checked beyond "not a server error".
 *
 * @param method the HTTP method
 * @param path the path, with any query
 * @param headers request headers (credentials included)
 * @param body the JSON body, or {@code null}
 */
public record WarmUpCall(String method, String path, Map<String, String> headers, String body) {

  public WarmUpCall {
    headers = Map.copyOf(headers);
  }

  /**
   * A call with a Basic credential of {@code user} and an empty password, as the server API takes.
   */
  public static WarmUpCall basic(String method, String path, String user, String body) {
    String token =
        java.util.Base64.getEncoder()
            .encodeToString((user + ":").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new WarmUpCall(method, path, Map.of("Authorization", "Basic " + token), body);
  }

  /** A call with a Bearer credential, as the management APIs take. */
  public static WarmUpCall bearer(String method, String path, String token, String body) {
    return new WarmUpCall(method, path, Map.of("Authorization", "Bearer " + token), body);
  }
}

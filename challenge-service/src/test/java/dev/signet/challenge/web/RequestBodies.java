package dev.signet.challenge.web;

import dev.signet.platform.web.JsonMismatch;
import dev.signet.platform.web.StrictJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Request bodies read as the service reads them: strict JSON, no coercion. */
public final class RequestBodies {

  private static final JsonMapper MAPPER = StrictJson.configure(JsonMapper.builder()).build();

  private RequestBodies() {}

  /** {@code json} bound to {@code type}; fails the test when it is refused. */
  public static <T> T read(String json, Class<T> type) {
    return MAPPER.readValue(json, type);
  }

  /** The documented error description {@code json} is refused with when bound to {@code type}. */
  public static String refusal(String json, Class<?> type) {
    try {
      Object bound = MAPPER.readValue(json, type);
      throw new AssertionError("bound without refusal: " + bound);
    } catch (JacksonException e) {
      return JsonMismatch.of(e)
          .map(JsonMismatch::description)
          .orElseThrow(() -> new AssertionError("not a type mismatch", e));
    }
  }
}

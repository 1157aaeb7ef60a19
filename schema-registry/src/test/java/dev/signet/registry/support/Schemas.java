package dev.signet.registry.support;

/** Avro schemas and request bodies used across the tests. */
public final class Schemas {

  private Schemas() {}

  /** A record {@code dev.signet.test.<name>} with the given JSON field definitions. */
  public static String record(String name, String... fields) {
    return "{\"type\":\"record\",\"name\":\""
        + name
        + "\",\"namespace\":\"dev.signet.test\",\"fields\":["
        + String.join(",", fields)
        + "]}";
  }

  public static String field(String name, String type) {
    return "{\"name\":\"" + name + "\",\"type\":\"" + type + "\"}";
  }

  public static String fieldWithDefault(String name, String type, String jsonDefault) {
    return "{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"default\":" + jsonDefault + "}";
  }

  /** A register/lookup body: {@code {"schema":"<escaped schema>"}}. */
  public static String body(String schema) {
    return "{\"schema\":\"" + schema.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
  }
}

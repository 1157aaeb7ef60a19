package dev.signet.rules.evaluation;

import java.time.Duration;
import java.util.Map;

/**
 * Reads and writes conditions as plain JSON trees ({@code Map}, {@code List}, strings, numbers,
 * booleans) — the shape of the management API and of the stored rules. Reading is strict: unknown
 * types or fields, wrong value types, empty lists and trees that are too deep or too large are
 * refused with the path of the offending field. A JSON tree cannot hold a cycle, and the depth and
 * size caps bound the cost of evaluating any accepted rule.
 */
public final class ConditionCodec {

  public static final int MAX_DEPTH = 8;
  public static final int MAX_NODES = 100;
  public static final int MAX_LIST = 500;
  public static final int MAX_TEXT = 256;
  static final Duration MIN_WINDOW = Duration.ofSeconds(1);
  static final Duration MAX_WINDOW = Duration.ofDays(30);

  private ConditionCodec() {}

  /** The condition a JSON tree describes. */
  public static Condition read(Object json) {
    return new ConditionReader().read(json, "condition", 1);
  }

  /** The JSON tree of a condition, as {@link #read} accepts it. */
  public static Map<String, Object> write(Condition condition) {
    return ConditionWriter.write(condition);
  }
}

package dev.signet.platform.web;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.type.LogicalType;

/**
 * JSON binding that takes a request body at its word: a member is bound only from the JSON type its
 * field declares. Jackson would otherwise coerce quietly (a number into a string, losing a phone
 * number's leading zeros; {@code "false"} or {@code 0} into a boolean; {@code 1.5} into a whole
 * number as {@code 1}; a one-element array into its element), and the API documents each of those
 * as {@code <field> must be a string.} and its kin ({@link JsonMismatch}). Unknown members stay
 * ignored: the official SDKs send more than the API reads.
 */
public final class StrictJson {

  private StrictJson() {}

  /** Refuses scalar coercion on {@code builder}; every service's mapper gets this. */
  public static <B extends MapperBuilder<?, B>> B configure(B builder) {
    return builder
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        // 1.5 into an int would otherwise be 1, silently.
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .withCoercionConfig(
            LogicalType.Textual,
            text ->
                text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Binary, CoercionAction.Fail));
  }
}

package dev.signet.platform.web;

import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * A request body member of the wrong JSON type, as {@link StrictJson} refuses it: the member's path
 * ({@code phoneNumber}, {@code attributes.isEnrolled}, {@code rules[2].condition}) and the type its
 * field declares. Its description is the documented {@code <field> must be a string.} (or {@code a
 * boolean}, {@code a number}, {@code an object}, {@code an array}).
 */
public record JsonMismatch(String field, Kind expected, String text) {

  public JsonMismatch(String field, Kind expected) {
    this(field, expected, null);
  }

  /** The JSON types a field can declare, with the article the description reads with. */
  public enum Kind {
    STRING("a string"),
    BOOLEAN("a boolean"),
    NUMBER("a number"),
    WHOLE_NUMBER("a whole number"),
    OBJECT("an object"),
    ARRAY("an array");

    private static final Set<Class<?>> WHOLE =
        Set.of(
            Integer.class,
            int.class,
            Long.class,
            long.class,
            Short.class,
            short.class,
            Byte.class,
            byte.class,
            BigInteger.class);

    private final String phrase;

    Kind(String phrase) {
      this.phrase = phrase;
    }

    /** The kind a Java type is bound from, empty for types bound from any JSON or from a format. */
    static Optional<Kind> of(Class<?> type) {
      if (type == null || type == Object.class || JsonNode.class.isAssignableFrom(type)) {
        return Optional.empty();
      }
      if (CharSequence.class.isAssignableFrom(type)
          || type == Character.class
          || type == char.class
          || type.isEnum()) {
        return Optional.of(STRING);
      }
      if (type == Boolean.class || type == boolean.class) {
        return Optional.of(BOOLEAN);
      }
      if (WHOLE.contains(type)) {
        return Optional.of(WHOLE_NUMBER);
      }
      if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != void.class)) {
        return Optional.of(NUMBER);
      }
      if (type.isArray() || Collection.class.isAssignableFrom(type)) {
        return Optional.of(ARRAY);
      }
      if (Map.class.isAssignableFrom(type) || type.isRecord()) {
        return Optional.of(OBJECT);
      }
      return Optional.empty();
    }
  }

  /** {@code <field> must be <kind>.}, or the member's own {@link MismatchText}. */
  public String description() {
    return text != null ? text : field + " must be " + expected.phrase + ".";
  }

  /**
   * The mismatch behind {@code failure} (however the framework wrapped it), or empty when the body
   * was malformed, the body as a whole had the wrong type, or a value had the right type but the
   * wrong format (an unknown enum constant): those keep their own answers.
   */
  public static Optional<JsonMismatch> of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MismatchedInputException mismatch) {
        return of(mismatch);
      }
      // A whole number too large for its field (the parser, not the binder, refuses it).
      if (t instanceof InputCoercionException tooLarge) {
        String field = path(tooLarge);
        return field.isEmpty()
            ? Optional.empty()
            : Kind.of(tooLarge.getTargetType()).map(kind -> new JsonMismatch(field, kind, null));
      }
    }
    return Optional.empty();
  }

  /** The description of the mismatch behind {@code failure}, or {@code otherwise} when none. */
  public static String describe(Throwable failure, String otherwise) {
    return of(failure).map(JsonMismatch::description).orElse(otherwise);
  }

  private static Optional<JsonMismatch> of(MismatchedInputException mismatch) {
    String field = path(mismatch);
    if (field.isEmpty()) {
      return Optional.empty();
    }
    Optional<Kind> expected = Kind.of(mismatch.getTargetType());
    if (mismatch instanceof InvalidFormatException format
        && format.getValue() != null
        && Kind.of(format.getValue().getClass()).equals(expected)) {
      return Optional.empty();
    }
    String text = declaredText(mismatch);
    return expected.map(kind -> new JsonMismatch(field, kind, text));
  }

  /** The {@link MismatchText} of the innermost record member on the path, if it has one. */
  private static String declaredText(JacksonException failure) {
    List<JacksonException.Reference> path = failure.getPath();
    for (int i = path.size() - 1; i >= 0; i--) {
      JacksonException.Reference step = path.get(i);
      if (step.getPropertyName() == null) {
        continue;
      }
      Object from = step.from();
      Class<?> owner = from instanceof Class<?> type ? type : from == null ? null : from.getClass();
      if (owner == null || !owner.isRecord()) {
        return null;
      }
      for (RecordComponent component : owner.getRecordComponents()) {
        MismatchText text = component.getAnnotation(MismatchText.class);
        if (text != null && component.getName().equals(step.getPropertyName())) {
          return text.value();
        }
      }
      return null;
    }
    return null;
  }

  private static String path(JacksonException failure) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference step : failure.getPath()) {
      if (step.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(step.getPropertyName());
      } else if (step.getIndex() >= 0) {
        path.append('[').append(step.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}

package dev.signet.e2e.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Compose variable reference such as {@code ${NAME}}, {@code ${NAME:-default}} or {@code
 * ${NAME:?error}}, as Compose interpolates it in docker-compose.yml.
 *
 * @param name the variable name
 * @param operator {@code ""} for a bare reference, otherwise one of {@code :- - :? ? :+ +}
 * @param argument the default, error message or alternative value after the operator
 */
record Interpolation(String name, String operator, String argument) {

  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}");

  /** Every reference in {@code text}; {@code $$} is Compose's escape for a literal dollar. */
  static List<Interpolation> findAll(String text) {
    Matcher matcher = REFERENCE.matcher(text.replace("$$", ""));
    List<Interpolation> found = new ArrayList<>();
    while (matcher.find()) {
      String operator = matcher.group(2) == null ? "" : matcher.group(2);
      String argument = matcher.group(3) == null ? "" : matcher.group(3);
      found.add(new Interpolation(matcher.group(1), operator, argument));
    }
    return found;
  }

  /** Compose stops with an error when the variable is unset ({@code ?}) or also when empty. */
  boolean required() {
    return operator.equals(":?") || operator.equals("?");
  }

  /** A value is used when the variable is unset: {@code :-} or {@code -}. */
  boolean hasDefault() {
    return operator.equals(":-") || operator.equals("-");
  }
}

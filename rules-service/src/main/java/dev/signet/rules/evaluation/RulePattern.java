package dev.signet.rules.evaluation;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A regular expression of a rule, compiled for RE2/J, a linear-time engine: matching takes time
 * proportional to the input times the size of the compiled pattern, whatever the pattern, so no
 * rule can stall the decision consumer the way {@code (a+)+$} stalls a backtracking engine. What
 * makes a backtracking engine exponential (backreferences, lookaround, atomic groups, possessive
 * quantifiers) RE2 does not have; such patterns are refused when the rule is written. Both the
 * pattern's length and the size it expands to are capped, since counted repetitions multiply
 * ({@code (a{1000}){1000}} would compile to a million instructions and exhaust the heap).
 */
public final class RulePattern {

  /** Longest pattern accepted, in characters. */
  public static final int MAX_LENGTH = 256;

  /**
   * Largest expansion accepted: every literal, class or escape counts one, a group the sum of what
   * it holds, and a counted repetition multiplies what it repeats by its largest count.
   */
  public static final int MAX_EXPANSION = 2_000;

  /**
   * Largest expansion of all the patterns of one rule together, so that a rule of many conditions
   * cannot multiply the worst case of one pattern.
   */
  public static final int MAX_RULE_EXPANSION = 5_000;

  /**
   * Compiled patterns by source. Rules are read afresh for every decision; without it each decision
   * would compile every pattern again. Bounded by clearing: a miss only costs a compile.
   */
  private static final Map<String, RulePattern> COMPILED = new ConcurrentHashMap<>();

  private static final int MAX_COMPILED = 1_000;

  private final String source;
  private final Pattern pattern;
  private final long expansion;

  /**
   * The last input and its answer: a decision evaluates its rules up to three times over the same
   * action (planning the signal reads, then deciding), and the patterns are shared through {@link
   * #COMPILED}, so each pattern runs once per decision.
   */
  private volatile Memo last;

  private record Memo(String input, boolean found) {}

  private RulePattern(String source, Pattern pattern, long expansion) {
    this.source = source;
    this.pattern = pattern;
    this.expansion = expansion;
  }

  /**
   * The compiled pattern, or {@link InvalidRuleException} at {@code path} naming why it cannot be
   * accepted.
   */
  public static RulePattern compile(String source, String path) {
    RulePattern known = COMPILED.get(source);
    if (known != null) {
      return known;
    }
    RulePattern compiled = compileAfresh(source, path);
    if (COMPILED.size() >= MAX_COMPILED) {
      COMPILED.clear();
    }
    COMPILED.putIfAbsent(source, compiled);
    return compiled;
  }

  private static RulePattern compileAfresh(String source, String path) {
    if (source.length() > MAX_LENGTH) {
      throw new InvalidRuleException(
          path + " is longer than " + MAX_LENGTH + " characters (the regular expression cap)");
    }
    String unsupported = unsupportedConstruct(source);
    if (unsupported != null) {
      throw new InvalidRuleException(
          path
              + " uses "
              + unsupported
              + ", which the linear-time regular expression engine (RE2 syntax) does not support");
    }
    Pattern compiled;
    long expansion;
    try {
      expansion = expansion(source);
      if (expansion > MAX_EXPANSION) {
        throw new InvalidRuleException(
            path
                + " expands to more than "
                + MAX_EXPANSION
                + " instructions (counted repetitions multiply what they repeat)");
      }
      compiled = Pattern.compile(source);
    } catch (PatternSyntaxException e) {
      throw new InvalidRuleException(
          path + " is not a valid regular expression (RE2 syntax): " + e.getDescription());
    }
    return new RulePattern(source, compiled, expansion);
  }

  /** Whether the pattern finds a match anywhere in {@code input}. */
  public boolean find(String input) {
    Memo memo = last;
    if (memo != null && memo.input().equals(input)) {
      return memo.found();
    }
    boolean found = pattern.matcher(input).find();
    last = new Memo(input, found);
    return found;
  }

  /** The upper bound of the compiled size this pattern was accepted with. */
  public long expansion() {
    return expansion;
  }

  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return source;
  }

  /**
   * The first construct of a backtracking engine that RE2 lacks, named for the operator, or null.
   * RE2/J would refuse them too, with a less helpful message ("invalid escape sequence").
   */
  static String unsupportedConstruct(String source) {
    boolean inClass = false;
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '\\' && i + 1 < source.length()) {
        char next = source.charAt(i + 1);
        if (next == 'Q') {
          // \Q...\E: everything up to \E is literal
          int end = source.indexOf("\\E", i + 2);
          i = end < 0 ? source.length() : end + 1;
          continue;
        }
        if (!inClass && next >= '1' && next <= '9') {
          return "a backreference (\\" + next + ")";
        }
        if (!inClass && next == 'k') {
          return "a named backreference (\\k)";
        }
        i++;
        continue;
      }
      if (inClass) {
        if (c == ']') {
          inClass = false;
        }
        continue;
      }
      if (c == '[') {
        inClass = true;
        // A ']' right after '[' or '[^' is a literal member, not the end.
        if (i + 1 < source.length() && source.charAt(i + 1) == '^') {
          i++;
        }
        if (i + 1 < source.length() && source.charAt(i + 1) == ']') {
          i++;
        }
        continue;
      }
      if (source.startsWith("(?=", i) || source.startsWith("(?!", i)) {
        return "lookahead (" + source.substring(i, i + 3) + ")";
      }
      if (source.startsWith("(?<=", i) || source.startsWith("(?<!", i)) {
        return "lookbehind (" + source.substring(i, i + 4) + ")";
      }
      if (source.startsWith("(?>", i)) {
        return "an atomic group ((?>)";
      }
      if ((c == '+' || c == '*' || c == '?' || c == '}')
          && i + 1 < source.length()
          && source.charAt(i + 1) == '+') {
        return "a possessive quantifier (" + c + "+)";
      }
    }
    return null;
  }

  /** {@link PatternExpansion#of}, for the tests of the bound. */
  static long expansion(String source) {
    return PatternExpansion.of(source);
  }
}

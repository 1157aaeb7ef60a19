package dev.signet.rules.evaluation;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upper bound of the size RE2 compiles a pattern to: one per literal, class or escape, the sum
 * over a group, the largest count times what a counted repetition repeats (RE2 copies it that many
 * times). The count of a malformed repetition is left to RE2/J's parser to refuse. One instance
 * scans one pattern, left to right.
 */
final class PatternExpansion {

  private final String source;
  private final Deque<long[]> groups = new ArrayDeque<>(); // {size so far, size of the last atom}
  private long[] current = {0, 0};
  private int i;

  private PatternExpansion(String source) {
    this.source = source;
  }

  /** The bound for {@code source}. */
  static long of(String source) {
    return new PatternExpansion(source).scan();
  }

  private long scan() {
    for (i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      switch (c) {
        case '\\' -> {
          int end = skipEscape(source, i);
          // \Q...\E quotes every character up to \E: each one is a literal
          long size = source.startsWith("\\Q", i) ? Math.max(1, end - i - 3) : 1;
          i = end;
          current = atom(current, size);
        }
        case '[' -> {
          i = skipClass(source, i);
          current = atom(current, 1);
        }
        case '(' -> openGroup();
        case ')' -> {
          long size = Math.max(1, current[0]);
          current = groups.isEmpty() ? new long[] {0, 0} : groups.pop();
          current = atom(current, size);
        }
        case '{' -> repetition();
        case '|' -> current[1] = 0;
        case '*', '+', '?' -> {
          // one more instruction around the atom
          current[0] = saturated(current[0] + 1);
        }
        default -> current = atom(current, 1);
      }
    }
    while (!groups.isEmpty()) {
      long size = current[0];
      current = atom(groups.pop(), size);
    }
    return current[0];
  }

  /** A group opens: named, with flags, or flags alone like {@code (?i)}, which open nothing. */
  private void openGroup() {
    groups.push(current);
    current = new long[] {0, 0};
    if (source.startsWith("(?P<", i) || source.startsWith("(?<", i)) {
      int close = source.indexOf('>', i);
      i = close < 0 ? source.length() - 1 : close; // a named group
    } else if (source.startsWith("(?", i)) {
      // flags, up to the ':' that starts a group or the ')' of flags alone, like (?i)
      int end = i + 2;
      while (end < source.length() && source.charAt(end) != ':' && source.charAt(end) != ')') {
        end++;
      }
      if (end < source.length() && source.charAt(end) == ')') {
        current = groups.pop();
      }
      i = end;
    }
  }

  /** A counted repetition multiplies the last atom; a brace that is not one is a literal. */
  private void repetition() {
    int close = source.indexOf('}', i);
    long count = close < 0 ? -1 : largestCount(source.substring(i + 1, close));
    if (count < 0) {
      current = atom(current, 1); // a literal brace
    } else {
      long repeated = current[1] * Math.max(1, count);
      current[0] = saturated(current[0] - current[1] + repeated);
      current[1] = saturated(repeated);
      i = close;
    }
  }

  private static long[] atom(long[] group, long size) {
    return new long[] {saturated(group[0] + size), size};
  }

  private static long saturated(long value) {
    return Math.min(value, Long.MAX_VALUE / 4_096);
  }

  /** The largest count of {@code n}, {@code n,} or {@code n,m}; -1 when it is not a repetition. */
  private static long largestCount(String body) {
    if (!body.matches("[0-9]{1,6}(,[0-9]{0,6})?")) {
      return -1;
    }
    String[] parts = body.split(",", -1);
    long min = Long.parseLong(parts[0]);
    if (parts.length == 1) {
      return min; // {n}
    }
    if (parts[1].isEmpty()) {
      return min + 1; // {n,}: n copies and a star
    }
    return Math.max(min, Long.parseLong(parts[1]));
  }

  /** The index of the last character of the escape starting at {@code i}. */
  private static int skipEscape(String source, int i) {
    if (i + 1 >= source.length()) {
      return i;
    }
    char next = source.charAt(i + 1);
    if ((next == 'p' || next == 'P' || next == 'x')
        && i + 2 < source.length()
        && source.charAt(i + 2) == '{') {
      int close = source.indexOf('}', i + 2);
      return close < 0 ? source.length() - 1 : close;
    }
    if (next == 'Q') {
      int end = source.indexOf("\\E", i + 2);
      return end < 0 ? source.length() - 1 : end + 1;
    }
    return i + 1;
  }

  /** The index of the {@code ]} that closes the class opened at {@code i}. */
  private static int skipClass(String source, int i) {
    int j = i + 1;
    if (j < source.length() && source.charAt(j) == '^') {
      j++;
    }
    if (j < source.length() && source.charAt(j) == ']') {
      j++;
    }
    while (j < source.length()) {
      char c = source.charAt(j);
      if (c == '\\') {
        j = skipEscape(source, j) + 1;
        continue;
      }
      if (c == '[' && source.startsWith("[:", j)) {
        int close = source.indexOf(":]", j + 2);
        j = close < 0 ? j + 1 : close + 2;
        continue;
      }
      if (c == ']') {
        return j;
      }
      j++;
    }
    return source.length() - 1;
  }
}

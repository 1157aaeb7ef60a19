package dev.signet.bench.profile;

import java.util.regex.Pattern;

/** Thread names with their numbers taken out, so that a pool reads as one line. */
public final class ThreadGroups {

  private static final Pattern NUMBERS = Pattern.compile("\\d+");

  private ThreadGroups() {}

  public static String normalise(String threadName) {
    if (threadName == null || threadName.isBlank()) {
      return "?";
    }
    return NUMBERS.matcher(threadName.trim()).replaceAll("N");
  }
}

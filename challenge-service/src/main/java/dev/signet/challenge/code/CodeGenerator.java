package dev.signet.challenge.code;

import java.security.SecureRandom;

/** Draws one-time codes uniformly from {@code 10^length} values with a {@link SecureRandom}. */
public final class CodeGenerator {

  private final SecureRandom random;

  public CodeGenerator(SecureRandom random) {
    this.random = random;
  }

  public String next(int length) {
    char[] digits = new char[length];
    for (int i = 0; i < length; i++) {
      digits[i] = (char) ('0' + random.nextInt(10));
    }
    return new String(digits);
  }
}

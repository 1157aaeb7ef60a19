package dev.signet.challenge.token;

import java.math.BigInteger;

/**
 * ECDSA signatures on P-256 in the JWS form {@code R || S} (32 bytes each). For every valid
 * signature (r, s) the pair (r, n - s) is valid too; Signet issues and accepts only the one with
 * {@code s <= n/2}, so each token has exactly one valid spelling.
 */
final class LowS {

  /** The order n of the P-256 group. */
  static final BigInteger ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private static final BigInteger HALF_ORDER = ORDER.shiftRight(1);
  private static final int PART = 32;

  private LowS() {}

  /** True for a 64-byte signature whose S lies in [1, n/2]. */
  static boolean isLowS(byte[] signature) {
    if (signature == null || signature.length != 2 * PART) {
      return false;
    }
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, PART, 2 * PART));
    return s.signum() > 0 && s.compareTo(HALF_ORDER) <= 0;
  }

  /** Replaces a high S by n - S in place; a low S is left as it is. */
  static void normalise(byte[] signature) {
    if (signature.length != 2 * PART) {
      throw new IllegalStateException("not an ES256 signature: " + signature.length + " bytes");
    }
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, PART, 2 * PART));
    if (s.compareTo(HALF_ORDER) <= 0) {
      return;
    }
    byte[] low = ORDER.subtract(s).toByteArray();
    java.util.Arrays.fill(signature, PART, 2 * PART, (byte) 0);
    int length = Math.min(low.length, PART);
    System.arraycopy(low, low.length - length, signature, 2 * PART - length, length);
  }
}

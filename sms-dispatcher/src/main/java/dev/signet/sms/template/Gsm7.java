package dev.signet.sms.template;

/**
 * The GSM 03.38 default alphabet and its extension table: chooses between GSM-7 and UCS-2 and
 * counts the segments a text is billed as, splitting as networks do (GSM-7: 160 septets in one
 * segment, 153 per concatenated segment, an extension character takes two septets and is never
 * split; UCS-2: 70 UTF-16 units, 67 per segment, a surrogate pair is never split).
 */
public final class Gsm7 {

  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  private static final String EXTENSION = "^{}\\[~]|€\f";

  private Gsm7() {}

  public static boolean isGsm7(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (BASIC.indexOf(c) < 0 && EXTENSION.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Segments the text is sent as: GSM-7 when every character allows it, UCS-2 otherwise. */
  public static int segments(String text) {
    return isGsm7(text) ? gsmSegments(text) : ucs2Segments(text);
  }

  private static int gsmSegments(String text) {
    int septets = 0;
    for (int i = 0; i < text.length(); i++) {
      septets += EXTENSION.indexOf(text.charAt(i)) >= 0 ? 2 : 1;
    }
    if (septets <= 160) {
      return 1;
    }
    int segments = 1;
    int used = 0;
    for (int i = 0; i < text.length(); i++) {
      int width = EXTENSION.indexOf(text.charAt(i)) >= 0 ? 2 : 1;
      if (used + width > 153) {
        segments++;
        used = 0;
      }
      used += width;
    }
    return segments;
  }

  private static int ucs2Segments(String text) {
    if (text.length() <= 70) {
      return 1;
    }
    int segments = 1;
    int used = 0;
    for (int i = 0; i < text.length(); i++) {
      int width = Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length() ? 2 : 1;
      if (used + width > 67) {
        segments++;
        used = 0;
      }
      used += width;
      i += width - 1;
    }
    return segments;
  }
}

package dev.signet.sandbox.sms;

/**
 * How many SMS parts a text needs, as networks count them: GSM-7 fits 160 septets in one part and
 * 153 per part once concatenated (extension characters take two septets and are never split); UCS-2
 * fits 70 UTF-16 units in one part and 67 per part (surrogate pairs are never split).
 */
public enum SmsEncoding {
  GSM7,
  UCS2;

  private static final String BASIC =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  private static final String EXTENSION = "\f^{}\\[~]|€";

  /** GSM-7 when every character is in the GSM 03.38 default alphabet or its extension table. */
  public static SmsEncoding detect(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (BASIC.indexOf(c) < 0 && EXTENSION.indexOf(c) < 0) {
        return UCS2;
      }
    }
    return GSM7;
  }

  /** Number of parts, at least 1 (an empty text still costs one message). */
  public int parts(String text) {
    return this == GSM7 ? gsmParts(text) : ucsParts(text);
  }

  private static int gsmParts(String text) {
    int total = 0;
    for (int i = 0; i < text.length(); i++) {
      total += septets(text.charAt(i));
    }
    if (total <= 160) {
      return 1;
    }
    int parts = 1;
    int used = 0;
    for (int i = 0; i < text.length(); i++) {
      int cost = septets(text.charAt(i));
      if (used + cost > 153) {
        parts++;
        used = 0;
      }
      used += cost;
    }
    return parts;
  }

  private static int ucsParts(String text) {
    if (text.length() <= 70) {
      return 1;
    }
    int parts = 1;
    int used = 0;
    for (int i = 0; i < text.length(); ) {
      int cost = Character.charCount(text.codePointAt(i));
      if (used + cost > 67) {
        parts++;
        used = 0;
      }
      used += cost;
      i += cost;
    }
    return parts;
  }

  /**
   * Characters outside the alphabet cost one septet: with {@code type=text} the network replaces
   * them rather than switching encoding.
   */
  private static int septets(char c) {
    return EXTENSION.indexOf(c) >= 0 ? 2 : 1;
  }
}

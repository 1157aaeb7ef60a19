package dev.signet.platform.seal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * What a sealed code is bound to: the AES-GCM associated data shared by challenge-service, which
 * seals, and sms-dispatcher, which opens. A code sealed for one send opens only for the same
 * challenge id, attempt, phone number, channel and expiry, so a requested event re-published with
 * another number, attempt, channel or expiry carries a code that does not open.
 *
 * <p>Encoding, version 2 (docs/events.md, "Sealed code binding"): the byte {@code 0xFF}, the
 * version byte {@code 0x02}, then each field in this fixed order as a 4-byte big-endian length and
 * its UTF-8 bytes (challenge id, phone number, channel) or as a fixed-width big-endian integer
 * (attempt: 4 bytes, expiry: 8 bytes of epoch milliseconds). Lengths make it unambiguous (no two
 * bindings share an encoding), the version byte lets a later binding differ, and the leading {@code
 * 0xFF}, a byte no UTF-8 text contains, keeps it apart from version 1, the challenge id's UTF-8
 * bytes alone: a code sealed under version 2 can never be opened as version 1, whatever challenge
 * id a forged event claims.
 */
public record SealBinding(
    String challengeId, int attempt, String phoneNumber, String channel, Instant expiresAt) {

  /** The binding of this record: every field, in a canonical, versioned encoding. */
  public static final int VERSION = 2;

  /** The binding of earlier versions: the challenge id alone. */
  public static final int LEGACY_VERSION = 1;

  private static final byte MARKER = (byte) 0xFF;

  public SealBinding {
    Objects.requireNonNull(challengeId, "challengeId");
    Objects.requireNonNull(phoneNumber, "phoneNumber");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** The associated data of {@link #VERSION}. */
  public byte[] associatedData() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + phoneNumber.length());
    out.write(MARKER);
    out.write(VERSION);
    text(out, challengeId);
    out.writeBytes(ByteBuffer.allocate(4).putInt(attempt).array());
    text(out, phoneNumber);
    text(out, channel);
    // Milliseconds: the precision the event carries (Avro timestamp-millis).
    out.writeBytes(ByteBuffer.allocate(8).putLong(expiresAt.toEpochMilli()).array());
    return out.toByteArray();
  }

  /** The associated data of {@link #LEGACY_VERSION}, which only earlier producers wrote. */
  public static byte[] legacyAssociatedData(String challengeId) {
    return challengeId.getBytes(StandardCharsets.UTF_8);
  }

  private static void text(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }
}

package dev.signet.events.serde;

/** Constants of the Confluent wire format: magic byte 0, 4-byte big-endian schema id, payload. */
final class WireFormat {

  static final byte MAGIC_BYTE = 0;
  static final int ID_SIZE = 4;
  static final int HEADER_SIZE = 1 + ID_SIZE;

  private WireFormat() {}
}

package dev.signet.localstack;

import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port offset at which every port of the whole stack is free right now, so that a test's stack
 * never collides with a developer's stack, another build's or another test's. Offsets are drawn at
 * random below the kernel's ephemeral range (32768 and up), where outgoing connections could take a
 * port between the check and the start.
 */
final class FreePortOffset {

  private static final int LOWEST = 2_000;
  private static final int HIGHEST_PORT = 32_767;

  private FreePortOffset() {}

  static int find() {
    int highestBase =
        EnumSet.allOf(Component.class).stream()
            .flatMap(c -> c.ports(0).stream())
            .mapToInt(Integer::intValue)
            .max()
            .orElseThrow();
    for (int attempt = 0; attempt < 50; attempt++) {
      int offset = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST_PORT - highestBase);
      if (Ports.taken(EnumSet.allOf(Component.class), offset).isEmpty()) {
        return offset;
      }
    }
    throw new IllegalStateException("no port offset with every port of the stack free");
  }
}

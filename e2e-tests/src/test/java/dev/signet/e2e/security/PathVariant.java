package dev.signet.e2e.security;

/**
 * Another spelling of a route's path, exactly as it goes on the request line, and what a correct
 * service must make of it.
 */
record PathVariant(String name, String rawPath, Kind kind) {

  enum Kind {
    /**
     * A spelling a strict firewall refuses whoever sends it ({@code ;}, encoded {@code / \ % .},
     * NUL, {@code //}, {@code /./}, {@code /../}, a backslash): never served, even with the right
     * credential.
     */
    FIREWALL,
    /**
     * Decodes to the route's own path (an encoded letter): the router may serve it, so it must need
     * the same credential as the plain path.
     */
    ALIAS,
    /** Names another path (upper case, trailing slash, an extra segment): must not be served. */
    MISS
  }
}

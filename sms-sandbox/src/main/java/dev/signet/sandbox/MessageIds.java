package dev.signet.sandbox;

/** Source of message ids, injected so tests can predict them. */
@FunctionalInterface
public interface MessageIds {

  String next();
}

package dev.signet.registry.schema;

/** A (subject, version) pair that uses a schema id. */
public record SubjectVersion(String subject, int version) {}

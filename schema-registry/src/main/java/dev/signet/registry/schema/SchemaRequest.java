package dev.signet.registry.schema;

/**
 * The body of a register, lookup or compatibility request.
 *
 * @param schemaType {@code null} or {@code AVRO}; other types are refused
 * @param hasReferences whether the request named schema references, which this registry refuses
 */
public record SchemaRequest(String schema, String schemaType, boolean hasReferences) {}

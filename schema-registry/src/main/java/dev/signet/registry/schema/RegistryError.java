package dev.signet.registry.schema;

/**
 * A Confluent error: the HTTP status and the body {@code {"error_code":..,"message":..}}. Codes and
 * messages follow Confluent Schema Registry so that its clients react the same way.
 */
public record RegistryError(int httpStatus, int errorCode, String message) {

  public static RegistryError subjectNotFound(String subject) {
    return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
  }

  public static RegistryError versionNotFound(int version) {
    return new RegistryError(404, 40402, "Version " + version + " not found.");
  }

  public static RegistryError schemaNotFound() {
    return new RegistryError(404, 40403, "Schema not found");
  }

  public static RegistryError schemaIdNotFound(int id) {
    return new RegistryError(404, 40403, "Schema " + id + " not found");
  }

  public static RegistryError subjectSoftDeleted(String subject) {
    return new RegistryError(
        404,
        40404,
        "Subject '" + subject + "' was soft deleted. Set permanent=true to delete permanently");
  }

  public static RegistryError subjectNotSoftDeleted(String subject) {
    return new RegistryError(
        404,
        40405,
        "Subject '" + subject + "' was not deleted first before being permanently deleted");
  }

  public static RegistryError subjectLevelNotConfigured(String subject) {
    return new RegistryError(
        404,
        40408,
        "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  public static RegistryError notFound() {
    return new RegistryError(404, 404, "HTTP 404 Not Found");
  }

  public static RegistryError incompatible(String subject, CompatibilityReport report) {
    return new RegistryError(
        409,
        409,
        "Schema being registered is incompatible with an earlier schema for subject \""
            + subject
            + "\", details: "
            + report.messages());
  }

  public static RegistryError invalidSchema(String detail) {
    return new RegistryError(422, 42201, "Invalid schema: " + detail);
  }

  public static RegistryError invalidVersion(String version) {
    return new RegistryError(
        422,
        42202,
        "The specified version '"
            + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the"
            + " string \"latest\"");
  }

  public static RegistryError invalidCompatibilityLevel() {
    return new RegistryError(
        422,
        42203,
        "Invalid compatibility level. Valid values are none, backward, forward, full,"
            + " backward_transitive, forward_transitive, and full_transitive");
  }

  public static RegistryError badRequest(String message) {
    return new RegistryError(400, 400, message);
  }

  public static RegistryError storeError(String message) {
    return new RegistryError(500, 50001, message);
  }

  public static RegistryError timeout(String message) {
    return new RegistryError(500, 50002, message);
  }
}

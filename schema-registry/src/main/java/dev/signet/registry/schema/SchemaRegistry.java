package dev.signet.registry.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's operations with Confluent's semantics. Writes are serialised by this object's
 * monitor and each one returns only after the log has been read back, so a write always sees the
 * previous one. This assumes a single registry process writes the topic, which holds for the local
 * stack and tests (Confluent elects a leader for the same reason).
 */
public final class SchemaRegistry {

  private static final Logger log = LoggerFactory.getLogger(SchemaRegistry.class);

  private final RegistryState state;
  private final SchemaLog schemaLog;
  private final CompatibilityLevel defaultLevel;

  public SchemaRegistry(RegistryState state, SchemaLog schemaLog, CompatibilityLevel defaultLevel) {
    this.state = state;
    this.schemaLog = schemaLog;
    this.defaultLevel = defaultLevel;
  }

  /** Registers a schema under a subject; the same schema again answers the same id. */
  public synchronized Result<Integer> register(String subject, SchemaRequest request) {
    Result<Schema> parsed = parse(request);
    if (parsed instanceof Result.Failed<Schema> failed) {
      return Result.failed(failed.error());
    }
    Schema schema = ((Result.Ok<Schema>) parsed).value();
    String normalised = schema.toString();
    List<SchemaVersion> all = state.versions(subject);
    List<SchemaVersion> live = live(all);
    for (SchemaVersion existing : live) {
      if (existing.schema().equals(normalised)) {
        return Result.ok(existing.id());
      }
    }
    CompatibilityReport report = CompatibilityChecker.check(level(subject), schema, live);
    if (!report.compatible()) {
      return Result.failed(RegistryError.incompatible(subject, report));
    }
    int id = state.idOf(normalised).orElse(state.maxId() + 1);
    int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
    SchemaVersion added = new SchemaVersion(subject, version, id, normalised, false);
    schemaLog.append(StoreRecords.schemaKey(subject, version), StoreRecords.schemaValue(added));
    log.info("Registered schema id {} as subject {} version {}", id, subject, version);
    return Result.ok(id);
  }

  /** Finds the version of a subject that holds the given schema. */
  public Result<SchemaVersion> lookup(
      String subject, SchemaRequest request, boolean includeDeleted) {
    List<SchemaVersion> versions = visible(state.versions(subject), includeDeleted);
    if (versions.isEmpty()) {
      return Result.failed(RegistryError.subjectNotFound(subject));
    }
    Result<Schema> parsed = parse(request);
    if (parsed instanceof Result.Failed<Schema> failed) {
      return Result.failed(failed.error());
    }
    String normalised = ((Result.Ok<Schema>) parsed).value().toString();
    for (int i = versions.size() - 1; i >= 0; i--) {
      if (versions.get(i).schema().equals(normalised)) {
        return Result.ok(versions.get(i));
      }
    }
    return Result.failed(RegistryError.schemaNotFound());
  }

  public List<String> subjects(boolean includeDeleted, String prefix) {
    List<String> names = new ArrayList<>();
    for (String subject : state.subjectNames()) {
      boolean matches = prefix == null || subject.startsWith(prefix);
      if (matches && !visible(state.versions(subject), includeDeleted).isEmpty()) {
        names.add(subject);
      }
    }
    return names;
  }

  public Result<List<Integer>> versions(String subject, boolean includeDeleted) {
    List<SchemaVersion> versions = visible(state.versions(subject), includeDeleted);
    if (versions.isEmpty()) {
      return Result.failed(RegistryError.subjectNotFound(subject));
    }
    return Result.ok(versions.stream().map(SchemaVersion::version).toList());
  }

  /**
   * @param versionSpec a version number, {@code latest} or {@code -1}
   */
  public Result<SchemaVersion> version(String subject, String versionSpec, boolean includeDeleted) {
    Optional<VersionSpec> requested = VersionSpec.parse(versionSpec);
    if (requested.isEmpty()) {
      return Result.failed(RegistryError.invalidVersion(versionSpec));
    }
    List<SchemaVersion> versions = visible(state.versions(subject), includeDeleted);
    if (versions.isEmpty()) {
      return Result.failed(RegistryError.subjectNotFound(subject));
    }
    VersionSpec spec = requested.get();
    if (spec.latest()) {
      return Result.ok(versions.get(versions.size() - 1));
    }
    return versions.stream()
        .filter(v -> v.version() == spec.number())
        .findFirst()
        .<Result<SchemaVersion>>map(Result::ok)
        .orElseGet(() -> Result.failed(RegistryError.versionNotFound(spec.number())));
  }

  /**
   * Soft-deletes a subject (its versions stay readable by id), or with {@code permanent} removes an
   * already soft-deleted subject from the log.
   */
  public synchronized Result<List<Integer>> deleteSubject(String subject, boolean permanent) {
    List<SchemaVersion> all = state.versions(subject);
    if (all.isEmpty()) {
      return Result.failed(RegistryError.subjectNotFound(subject));
    }
    List<SchemaVersion> live = live(all);
    if (permanent) {
      if (!live.isEmpty()) {
        return Result.failed(RegistryError.subjectNotSoftDeleted(subject));
      }
      for (SchemaVersion version : all) {
        schemaLog.append(StoreRecords.schemaKey(subject, version.version()), null);
      }
      log.info("Permanently deleted subject {} ({} versions)", subject, all.size());
      return Result.ok(all.stream().map(SchemaVersion::version).toList());
    }
    if (live.isEmpty()) {
      return Result.failed(RegistryError.subjectSoftDeleted(subject));
    }
    for (SchemaVersion version : live) {
      schemaLog.append(
          StoreRecords.schemaKey(subject, version.version()),
          StoreRecords.schemaValue(version.markDeleted()));
    }
    log.info("Soft-deleted subject {} ({} versions)", subject, live.size());
    return Result.ok(live.stream().map(SchemaVersion::version).toList());
  }

  public Result<String> schemaById(int id) {
    return state
        .schemaById(id)
        .<Result<String>>map(Result::ok)
        .orElseGet(() -> Result.failed(RegistryError.schemaIdNotFound(id)));
  }

  public Result<List<SubjectVersion>> usesOf(int id) {
    if (state.schemaById(id).isEmpty()) {
      return Result.failed(RegistryError.schemaIdNotFound(id));
    }
    return Result.ok(state.usesOf(id));
  }

  /**
   * Checks a schema against one version of a subject, or against the versions the subject's level
   * names when {@code versionSpec} is {@code null}.
   */
  public Result<CompatibilityReport> checkCompatibility(
      String subject, String versionSpec, SchemaRequest request) {
    Result<Schema> parsed = parse(request);
    if (parsed instanceof Result.Failed<Schema> failed) {
      return Result.failed(failed.error());
    }
    Schema schema = ((Result.Ok<Schema>) parsed).value();
    CompatibilityLevel level = level(subject);
    if (versionSpec == null) {
      return Result.ok(CompatibilityChecker.check(level, schema, live(state.versions(subject))));
    }
    Result<SchemaVersion> against = version(subject, versionSpec, false);
    if (against instanceof Result.Failed<SchemaVersion> failed) {
      return Result.failed(failed.error());
    }
    SchemaVersion old = ((Result.Ok<SchemaVersion>) against).value();
    return Result.ok(CompatibilityChecker.check(level, schema, List.of(old)));
  }

  public CompatibilityLevel globalLevel() {
    return state.globalLevel().orElse(defaultLevel);
  }

  public Result<CompatibilityLevel> subjectLevel(String subject, boolean defaultToGlobal) {
    Optional<CompatibilityLevel> level = state.subjectLevel(subject);
    if (level.isPresent()) {
      return Result.ok(level.get());
    }
    if (defaultToGlobal) {
      return Result.ok(globalLevel());
    }
    return Result.failed(RegistryError.subjectLevelNotConfigured(subject));
  }

  /**
   * @param subject {@code null} sets the global level
   */
  public synchronized Result<CompatibilityLevel> setLevel(String subject, String level) {
    Optional<CompatibilityLevel> parsed = CompatibilityLevel.parse(level);
    if (parsed.isEmpty()) {
      return Result.failed(RegistryError.invalidCompatibilityLevel());
    }
    schemaLog.append(StoreRecords.configKey(subject), StoreRecords.configValue(parsed.get()));
    log.info("Compatibility of {} set to {}", subject == null ? "<global>" : subject, parsed.get());
    return Result.ok(parsed.get());
  }

  public synchronized Result<CompatibilityLevel> deleteSubjectLevel(String subject) {
    Optional<CompatibilityLevel> previous = state.subjectLevel(subject);
    if (previous.isEmpty()) {
      return Result.failed(RegistryError.subjectLevelNotConfigured(subject));
    }
    schemaLog.append(StoreRecords.configKey(subject), null);
    return Result.ok(previous.get());
  }

  private CompatibilityLevel level(String subject) {
    return state.subjectLevel(subject).orElseGet(this::globalLevel);
  }

  private static List<SchemaVersion> live(List<SchemaVersion> versions) {
    return visible(versions, false);
  }

  private static List<SchemaVersion> visible(List<SchemaVersion> versions, boolean withDeleted) {
    return withDeleted ? versions : versions.stream().filter(v -> !v.deleted()).toList();
  }

  /** A version path segment: a number from 1, or {@code latest} (also {@code -1}). */
  private record VersionSpec(boolean latest, int number) {

    static Optional<VersionSpec> parse(String spec) {
      if ("latest".equals(spec) || "-1".equals(spec)) {
        return Optional.of(new VersionSpec(true, 0));
      }
      try {
        int number = Integer.parseInt(spec);
        return number >= 1 ? Optional.of(new VersionSpec(false, number)) : Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  private static Result<Schema> parse(SchemaRequest request) {
    if (request.schemaType() != null && !"AVRO".equalsIgnoreCase(request.schemaType())) {
      return Result.failed(
          new RegistryError(
              422, 42201, "Invalid schema type " + request.schemaType() + ": only AVRO is served"));
    }
    if (request.hasReferences()) {
      return Result.failed(RegistryError.invalidSchema("schema references are not supported"));
    }
    if (request.schema() == null || request.schema().isBlank()) {
      return Result.failed(RegistryError.invalidSchema("the schema is empty"));
    }
    try {
      return Result.ok(CompatibilityChecker.parse(request.schema()));
    } catch (RuntimeException e) {
      return Result.failed(RegistryError.invalidSchema(e.getMessage()));
    }
  }
}

package dev.signet.registry.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The in-memory view of the log: subjects, versions, ids and compatibility levels. Only the log's
 * reader thread writes it; request threads read it, hence the monitor on every method.
 */
public final class RegistryState {

  private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
  private final Map<Integer, String> schemaById = new HashMap<>();
  private final Map<String, Integer> idBySchema = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private int maxId;

  synchronized void putVersion(SchemaVersion version) {
    subjects
        .computeIfAbsent(version.subject(), s -> new TreeMap<>())
        .put(version.version(), version);
    schemaById.putIfAbsent(version.id(), version.schema());
    idBySchema.putIfAbsent(version.schema(), version.id());
    // Never lower, even after a hard delete, so an id is not reused while this process runs.
    maxId = Math.max(maxId, version.id());
  }

  synchronized void removeVersion(String subject, int version) {
    TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
    if (versions == null) {
      return;
    }
    SchemaVersion removed = versions.remove(version);
    if (versions.isEmpty()) {
      subjects.remove(subject);
    }
    if (removed != null && usesOf(removed.id()).isEmpty()) {
      schemaById.remove(removed.id());
      idBySchema.remove(removed.schema());
    }
  }

  /** All versions of a subject, soft-deleted ones included, oldest first. */
  synchronized List<SchemaVersion> versions(String subject) {
    TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
    return versions == null ? List.of() : List.copyOf(versions.values());
  }

  synchronized List<String> subjectNames() {
    return List.copyOf(subjects.keySet());
  }

  synchronized Optional<String> schemaById(int id) {
    return Optional.ofNullable(schemaById.get(id));
  }

  synchronized Optional<Integer> idOf(String schema) {
    return Optional.ofNullable(idBySchema.get(schema));
  }

  synchronized List<SubjectVersion> usesOf(int id) {
    List<SubjectVersion> uses = new ArrayList<>();
    for (TreeMap<Integer, SchemaVersion> versions : subjects.values()) {
      for (SchemaVersion version : versions.values()) {
        if (version.id() == id) {
          uses.add(new SubjectVersion(version.subject(), version.version()));
        }
      }
    }
    return uses;
  }

  synchronized int maxId() {
    return maxId;
  }

  synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  synchronized Optional<CompatibilityLevel> globalLevel() {
    return Optional.ofNullable(globalLevel);
  }

  /**
   * @param subject {@code null} for the global level
   * @param level {@code null} removes the level
   */
  synchronized void setLevel(String subject, CompatibilityLevel level) {
    if (subject == null) {
      globalLevel = level;
    } else if (level == null) {
      subjectLevels.remove(subject);
    } else {
      subjectLevels.put(subject, level);
    }
  }
}

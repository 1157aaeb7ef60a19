package dev.signet.e2e.deploy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The services of several Compose files as {@code docker compose -f a.yml -f b.yml} merges them,
 * for the rules these files use: {@code extends} of a service of another file, mappings merged key
 * by key, {@code command}, {@code entrypoint} and a health check's {@code test} replaced, volumes
 * merged by container path, other sequences appended, {@code !reset} removing and {@code !override}
 * replacing what the earlier files said.
 */
final class ComposeProject {

  private static final Set<String> REPLACED_SEQUENCES = Set.of("command", "entrypoint", "test");

  private ComposeProject() {}

  /** The merged services of {@code files}, in order (each later file overrides the earlier). */
  static Map<String, Map<String, Object>> services(List<ComposeFile> files) throws IOException {
    Map<String, Object> merged = new LinkedHashMap<>();
    for (ComposeFile file : files) {
      Map<String, Object> resolved = new LinkedHashMap<>();
      for (Map.Entry<String, Map<String, Object>> service : file.services().entrySet()) {
        resolved.put(service.getKey(), resolveExtends(file, service.getValue()));
      }
      merged = mergeMaps(merged, resolved);
    }
    Map<String, Map<String, Object>> services = new LinkedHashMap<>();
    merged.forEach((name, service) -> services.put(name, ComposeFile.map(service)));
    return services;
  }

  private static Map<String, Object> resolveExtends(ComposeFile file, Map<String, Object> service)
      throws IOException {
    Map<String, Object> extendsSpec = ComposeFile.map(service.get("extends"));
    if (extendsSpec.isEmpty()) {
      return service;
    }
    Object other = extendsSpec.get("file");
    ComposeFile source =
        other == null ? file : ComposeFile.read(file.directory().resolve(String.valueOf(other)));
    Map<String, Object> base = source.services().get(String.valueOf(extendsSpec.get("service")));
    if (base == null) {
      throw new IllegalArgumentException("extends an unknown service: " + extendsSpec);
    }
    Map<String, Object> local = new LinkedHashMap<>(service);
    local.remove("extends");
    return mergeMaps(resolveExtends(source, base), local);
  }

  static Map<String, Object> mergeMaps(Map<String, Object> base, Map<String, Object> override) {
    Map<String, Object> merged = new LinkedHashMap<>(base);
    override.forEach(
        (key, value) -> {
          if (value == ComposeFile.Reset.VALUE) {
            merged.remove(key);
          } else if (value instanceof ComposeFile.Replace replace) {
            merged.put(key, replace.value());
          } else {
            merged.put(key, mergeValues(key, merged.get(key), value));
          }
        });
    return merged;
  }

  private static Object mergeValues(String key, Object base, Object override) {
    if (base instanceof Map<?, ?> && override instanceof Map<?, ?>) {
      return mergeMaps(ComposeFile.map(base), ComposeFile.map(override));
    }
    if (base instanceof List<?> baseList
        && override instanceof List<?> overrideList
        && !REPLACED_SEQUENCES.contains(key)) {
      List<Object> merged = new ArrayList<>();
      for (Object item : baseList) {
        if (!key.equals("volumes") || !overrideList.stream().anyMatch(o -> sameTarget(o, item))) {
          merged.add(item);
        }
      }
      overrideList.stream().filter(item -> !merged.contains(item)).forEach(merged::add);
      return merged;
    }
    return override;
  }

  private static boolean sameTarget(Object volume, Object other) {
    return target(volume).equals(target(other));
  }

  private static String target(Object volume) {
    String[] parts = String.valueOf(volume).split(":");
    return parts.length > 1 ? parts[1] : parts[0];
  }
}

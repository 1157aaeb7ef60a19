package dev.signet.e2e.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the environment variables a service's Spring configuration needs in production: the {@code
 * ${NAME}} placeholders of its application.yml and application-production.yml that have no default.
 * A placeholder with a default ({@code ${NAME:fallback}}) needs nothing, unless the fallback itself
 * is a placeholder without default ({@code ${NAME:${OTHER}}}), which is needed when NAME is not
 * provided.
 */
final class SpringPlaceholders {

  /** An environment-variable name, as opposed to a property such as spring.application.name. */
  private static final java.util.regex.Pattern ENV_NAME =
      java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]*");

  private static final List<String> PRODUCTION_FILES =
      List.of(
          "application.yml",
          "application.yaml",
          "application.properties",
          "application-production.yml",
          "application-production.yaml",
          "application-production.properties");

  private SpringPlaceholders() {}

  /** The configuration files of a module that apply under the production profile. */
  static List<Path> productionConfigFiles(Path module) {
    Path resources = module.resolve("src/main/resources");
    return PRODUCTION_FILES.stream().map(resources::resolve).filter(Files::isRegularFile).toList();
  }

  /**
   * The variables that must be set for the files to resolve, given which variables the environment
   * provides.
   */
  static Set<String> missing(List<Path> files, Predicate<String> provided) throws IOException {
    Set<String> missing = new LinkedHashSet<>();
    for (Path file : files) {
      for (String value : productionValues(file)) {
        missing.addAll(missingIn(value, provided));
      }
    }
    return missing;
  }

  /** The variables {@code value}'s placeholders need that {@code provided} does not cover. */
  static Set<String> missingIn(String value, Predicate<String> provided) {
    Set<String> missing = new LinkedHashSet<>();
    int from = 0;
    while (true) {
      int start = value.indexOf("${", from);
      if (start < 0) {
        return missing;
      }
      int end = closingBrace(value, start + 2);
      if (end < 0) {
        return missing;
      }
      String body = value.substring(start + 2, end);
      int colon = topLevelColon(body);
      String name = colon < 0 ? body : body.substring(0, colon);
      if (ENV_NAME.matcher(name).matches() && !provided.test(name)) {
        if (colon < 0) {
          missing.add(name);
        } else {
          missing.addAll(missingIn(body.substring(colon + 1), provided));
        }
      }
      from = end + 1;
    }
  }

  private static int closingBrace(String value, int from) {
    int depth = 1;
    for (int i = from; i < value.length(); i++) {
      if (value.startsWith("${", i)) {
        depth++;
        i++;
      } else if (value.charAt(i) == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static int topLevelColon(String body) {
    int depth = 0;
    for (int i = 0; i < body.length(); i++) {
      if (body.startsWith("${", i)) {
        depth++;
        i++;
      } else if (body.charAt(i) == '}') {
        depth--;
      } else if (body.charAt(i) == ':' && depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Every string value of the file that applies under the production profile: YAML documents
   * activated for another profile only are skipped.
   */
  static List<String> productionValues(Path file) throws IOException {
    String text = Files.readString(file);
    List<String> values = new ArrayList<>();
    if (file.getFileName().toString().endsWith(".properties")) {
      Properties properties = new Properties();
      properties.load(new StringReader(text));
      properties.values().forEach(value -> values.add(String.valueOf(value)));
      return values;
    }
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    for (Object document : yaml.loadAll(text)) {
      if (document instanceof Map<?, ?> map && !activeInProduction(map)) {
        continue;
      }
      collectStrings(document, values);
    }
    return values;
  }

  private static boolean activeInProduction(Map<?, ?> document) {
    Object onProfile = lookup(document, "spring.config.activate.on-profile");
    if (onProfile == null) {
      return true;
    }
    Stream<String> profiles =
        onProfile instanceof List<?> list
            ? list.stream().map(String::valueOf)
            : Stream.of(String.valueOf(onProfile).split(","));
    return profiles.map(String::trim).anyMatch("production"::equals);
  }

  /** Looks a dotted key up in nested maps, accepting dotted keys at any level as Spring does. */
  private static Object lookup(Map<?, ?> map, String dottedKey) {
    if (map.containsKey(dottedKey)) {
      return map.get(dottedKey);
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (dottedKey.startsWith(key + ".") && entry.getValue() instanceof Map<?, ?> child) {
        Object found = lookup(child, dottedKey.substring(key.length() + 1));
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static void collectStrings(Object node, List<String> values) {
    if (node instanceof Map<?, ?> map) {
      map.values().forEach(value -> collectStrings(value, values));
    } else if (node instanceof List<?> list) {
      list.forEach(value -> collectStrings(value, values));
    } else if (node instanceof String string) {
      values.add(string);
    }
  }
}

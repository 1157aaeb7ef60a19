package dev.signet.e2e.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A Compose file as parsed YAML (anchors and merge keys resolved, duplicate keys refused as Compose
 * refuses them, Compose's {@code !reset} and {@code !override} tags kept as {@link Reset} and
 * {@link Replace}), with accessors for the parts the deployment tests inspect.
 */
record ComposeFile(Path path, String text, Map<String, Object> root) {

  /** {@code !reset}: the value of the files merged before this one is removed. */
  enum Reset {
    VALUE
  }

  /** {@code !override}: this value replaces the one of the files merged before, unmerged. */
  record Replace(Object value) {}

  static ComposeFile read(Path path) throws IOException {
    String text = Files.readString(path);
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Map<String, Object> root = new Yaml(new ComposeConstructor(options)).load(text);
    return new ComposeFile(path, text, root);
  }

  /** SnakeYAML's safe types plus Compose's two merge tags. */
  private static final class ComposeConstructor extends SafeConstructor {

    ComposeConstructor(LoaderOptions options) {
      super(options);
      yamlConstructors.put(
          new Tag("!reset"),
          new AbstractConstruct() {
            @Override
            public Object construct(Node node) {
              return Reset.VALUE;
            }
          });
      yamlConstructors.put(
          new Tag("!override"),
          new AbstractConstruct() {
            @Override
            public Object construct(Node node) {
              Tag plain =
                  node.getNodeId() == NodeId.mapping
                      ? Tag.MAP
                      : node.getNodeId() == NodeId.sequence ? Tag.SEQ : Tag.STR;
              node.setTag(plain);
              return new Replace(yamlConstructors.get(plain).construct(node));
            }
          });
    }
  }

  Path directory() {
    return path.getParent();
  }

  Map<String, Map<String, Object>> services() {
    Map<String, Map<String, Object>> services = new LinkedHashMap<>();
    map(root.get("services"))
        .forEach((name, definition) -> services.put(String.valueOf(name), map(definition)));
    return services;
  }

  /** A service's environment, whether written as a map or as a list of {@code KEY=value}. */
  static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> environment = new LinkedHashMap<>();
    Object declared = service.get("environment");
    if (declared instanceof Map<?, ?> map) {
      map.forEach(
          (key, value) ->
              environment.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
    } else if (declared instanceof List<?> list) {
      for (Object entry : list) {
        String[] keyValue = String.valueOf(entry).split("=", 2);
        environment.put(keyValue[0], keyValue.length == 2 ? keyValue[1] : null);
      }
    }
    return environment;
  }

  /** A nested value by path, or null when any step is missing. */
  static Object at(Map<String, Object> node, String... keys) {
    Object current = node;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    if (node instanceof Map<?, ?>) {
      return (Map<String, Object>) node;
    }
    return Map.of();
  }
}

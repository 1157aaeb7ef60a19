package dev.signet.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Where things are: the jars of the reactor, the class paths of the Kafka and Mongo processes, and
 * the data folder. With {@code --in-memory} the component data (Kafka log dir, per-component
 * folders) goes to a run folder under {@code <data>/tmp} that is deleted on stop; logs, secrets and
 * {@code stack.json} always live in the data folder itself.
 */
record Layout(Path repoRoot, Path moduleTarget, String version, Path dataDir, Path runDir) {

  static Layout of(Path moduleTarget, String version, Path dataDir, boolean inMemory, long pid) {
    Path repoRoot = moduleTarget.toAbsolutePath().normalize().getParent().getParent();
    Path runDir = inMemory ? dataDir.resolve("tmp").resolve("run-" + pid) : dataDir;
    return new Layout(
        repoRoot, moduleTarget.toAbsolutePath().normalize(), version, dataDir, runDir);
  }

  /**
   * The {@code local-stack/target} folder of the running launcher, found from its own code location
   * (the module jar or {@code target/classes}).
   */
  static Path launcherTarget() {
    return launcherCode().getParent();
  }

  /** The class path entry of the launcher itself (jar or classes folder). */
  static Path launcherCode() {
    try {
      return Path.of(LocalStack.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath()
          .normalize();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the launcher's own code", e);
    }
  }

  static String launcherVersion() {
    try (InputStream in = LocalStack.class.getResourceAsStream("/local-stack.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      String version = p.getProperty("version", "");
      if (version.isBlank() || version.startsWith("@")) {
        throw new IllegalStateException(
            "local-stack.properties has no version; rebuild local-stack");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path jar(Component component) {
    String module = component.module();
    return repoRoot.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
  }

  /**
   * The copy of a component's jar that the stack runs. Spring Boot's launcher reopens its jar by
   * path while running, so a rebuild during a run would break a service that ran the build output
   * directly. Kept in the data folder even for throwaway runs: jars are not data, and the next
   * start skips the copy when the build output has not changed.
   */
  Path stagedJar(Component component) {
    return dataDir.resolve("jars").resolve(component.module() + ".jar");
  }

  Path kafkaLib() {
    return moduleTarget.resolve("kafka-lib");
  }

  Path zipkinJar() {
    return moduleTarget.resolve("zipkin-lib").resolve("zipkin-server.jar");
  }

  Path mongoLib() {
    return moduleTarget.resolve("mongo-lib");
  }

  Path logsDir() {
    return dataDir.resolve("logs");
  }

  Path log(Component component) {
    return log(component.id());
  }

  /** The log of one process, by its name ({@code challenge-2}). */
  Path log(String name) {
    return logsDir().resolve(name + ".log");
  }

  /**
   * While this file exists, the launcher does not restart the process of that name when it exits
   * ({@code <data>/hold/<name>}): a failure drill keeps an instance down, then deletes the file.
   */
  Path holdFile(String name) {
    return dataDir.resolve("hold").resolve(name);
  }

  Path secretsFile() {
    return dataDir.resolve("secrets.properties");
  }

  Path stackFile() {
    return dataDir.resolve("stack.json");
  }

  Path pidFile() {
    return dataDir.resolve("stack.pids");
  }

  Path tmpDir() {
    return dataDir.resolve("tmp");
  }

  boolean throwaway() {
    return !runDir.equals(dataDir);
  }

  Path kafkaLogDir() {
    return runDir.resolve("kafka");
  }

  /**
   * The log dir of one broker: {@code kafka/} for the standard stack's; a cluster's brokers keep
   * theirs apart ({@code kafka-cluster/<name>}), since a single-broker log dir cannot join a
   * three-voter quorum.
   */
  Path kafkaLogDir(String name, boolean cluster) {
    return cluster ? runDir.resolve("kafka-cluster").resolve(name) : kafkaLogDir();
  }

  Path kafkaConfig() {
    return kafkaConfig(Component.KAFKA.id());
  }

  Path kafkaConfig(String name) {
    return runDir.resolve("config").resolve(name + "-server.properties");
  }

  Path mongoStore() {
    return runDir.resolve("mongo").resolve("signet.mv");
  }

  /** The {@code SIGNET_DATA_DIR} handed to an HTTP component. */
  Path componentDir(Component component) {
    return componentDir(component.id());
  }

  /** The folder of one process, by its name. */
  Path componentDir(String name) {
    return runDir.resolve(name);
  }

  /** A path relative to the repo root when it is inside it, for short messages. */
  String display(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    return abs.startsWith(repoRoot) ? repoRoot.relativize(abs).toString() : abs.toString();
  }

  static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + dir, e);
    }
  }

  /** Deletes a folder and everything in it; nothing when it does not exist. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Loads every class of this package up front. A rebuild rewrites the launcher's jar in place
   * while the stack runs; a class first needed at shutdown would then be read from the new bytes.
   * Sub-packages are not the launcher's: {@code mongo} extends mongo-java-server, which only the
   * MongoDB-wire server's process has on its class path.
   */
  private static final String OWN_PACKAGE = "dev/signet/localstack/";

  static void preloadLauncherClasses() {
    Path location = launcherCode();
    if (!Files.isRegularFile(location)) {
      return;
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (name.startsWith(OWN_PACKAGE)
            && name.indexOf('/', OWN_PACKAGE.length()) < 0
            && name.endsWith(".class")) {
          Class.forName(
              name.substring(0, name.length() - ".class".length()).replace('/', '.'),
              false,
              Layout.class.getClassLoader());
        }
      }
    } catch (IOException | ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("Cannot load the launcher from " + location, e);
    }
  }
}

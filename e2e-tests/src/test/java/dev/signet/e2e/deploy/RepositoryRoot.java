package dev.signet.e2e.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from wherever the build runs (the module folder, the root, an IDE). */
final class RepositoryRoot {

  static final String COMPOSE_FILE = "docker-compose.yml";

  private RepositoryRoot() {}

  /** Walks up from the working directory until a folder holds {@value #COMPOSE_FILE}. */
  static Path find() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(COMPOSE_FILE))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "No " + COMPOSE_FILE + " in " + start + " or any parent folder");
  }
}

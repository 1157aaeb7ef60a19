package dev.signet.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold secrets ({@code secrets.properties}, {@code stack.json}): readable and writable
 * by their owner only (mode 600), and replaced atomically so that a reader never sees half a file.
 * The content goes into a fresh temporary file created with mode 600 before a byte is written,
 * which is then moved over the old file: the move carries the temporary file's mode, so neither a
 * wider mode of the old file nor a left-over temporary file can expose the new content.
 */
final class OwnerOnlyFiles {

  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /**
   * Writes {@code content} to {@code file} atomically, mode 600 where the file system has modes.
   */
  static void write(Path file, String content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    // A left-over temporary file may have any mode; only a file created here is known to be 600.
    Files.deleteIfExists(tmp);
    if (posix()) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    restrict(file);
  }

  /** Narrows an existing file to mode 600 (e.g. one written by an older launcher). */
  static void restrict(Path file) {
    if (!posix()) {
      return;
    }
    try {
      if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot restrict permissions of " + file, e);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}

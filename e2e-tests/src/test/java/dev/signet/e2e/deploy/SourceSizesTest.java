package dev.signet.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.CallableDeclaration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sizes a reader can hold in their head: no production source file over 300 lines and no method or
 * constructor over 60, in every module but the benchmark harness.
 */
class SourceSizesTest {

  static final int MAX_FILE_LINES = 300;
  static final int MAX_METHOD_LINES = 60;

  private static List<Path> sources;

  @BeforeAll
  static void findSources() throws IOException {
    StaticJavaParser.getParserConfiguration()
        .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
    Path root = RepositoryRoot.find();
    try (Stream<Path> files = Files.walk(root)) {
      sources =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(
                  p -> root.relativize(p).toString().replace('\\', '/').contains("/src/main/java/"))
              .filter(p -> !root.relativize(p).startsWith("bench"))
              .sorted()
              .toList();
    }
    assertThat(sources).as("production sources found").hasSizeGreaterThan(100);
  }

  @Test
  void noProductionSourceFileIsLongerThan300Lines() throws IOException {
    List<String> tooLong = new ArrayList<>();
    for (Path source : sources) {
      long lines = Files.readAllLines(source).size();
      if (lines > MAX_FILE_LINES) {
        tooLong.add(lines + " " + source);
      }
    }
    assertThat(tooLong).as("files over %d lines", MAX_FILE_LINES).isEmpty();
  }

  @Test
  void noMethodOrConstructorIsLongerThan60Lines() throws IOException {
    List<String> tooLong = new ArrayList<>();
    for (Path source : sources) {
      CompilationUnit unit = StaticJavaParser.parse(source);
      for (CallableDeclaration<?> callable : unit.findAll(CallableDeclaration.class)) {
        int lines = lines(callable);
        if (lines > MAX_METHOD_LINES) {
          tooLong.add(lines + " " + source.getFileName() + " " + callable.getNameAsString());
        }
      }
    }
    assertThat(tooLong).as("methods over %d lines", MAX_METHOD_LINES).isEmpty();
  }

  /**
   * From the line with the method's name to its closing brace: the annotations above it (API
   * documentation, mappings) are not code a reader has to follow.
   */
  static int lines(CallableDeclaration<?> callable) {
    int begin = callable.getName().getBegin().orElseThrow().line;
    int end = callable.getEnd().orElseThrow().line;
    return end - begin + 1;
  }

  @Test
  void aMethodOfSixtyOneLinesIsFoundAndItsAnnotationsDoNotCount() {
    String body = "int x = 0;\n".repeat(59);
    CompilationUnit unit =
        StaticJavaParser.parse(
            "class A {\n@Deprecated\n@SuppressWarnings(\"x\")\nvoid m() {\n" + body + "}\n}\n");
    CallableDeclaration<?> method = unit.findFirst(CallableDeclaration.class).orElseThrow();
    assertThat(lines(method)).isEqualTo(61);
  }
}

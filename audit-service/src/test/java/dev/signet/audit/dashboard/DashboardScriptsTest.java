package dev.signet.audit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's escaping holds by construction: its scripts build the page with DOM calls and
 * text nodes only. This test fails when a script gains an HTML sink (innerHTML and friends), a way
 * to run strings as code, or the page gains inline script or style that the Content-Security-Policy
 * would block; the browser test proves the same with stored payloads.
 */
class DashboardScriptsTest {

  private static final Path STATIC = Path.of("src/main/resources/static/dashboard");
  private static final Pattern SINKS =
      Pattern.compile(
          "innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\s*\\(|new Function"
              + "|setAttribute\\(\\s*['\"](on|style|srcdoc)|createContextualFragment|DOMParser"
              + "|setTimeout\\(\\s*['\"`]|setInterval\\(\\s*['\"`]");

  @Test
  void scriptsHaveNoHtmlSinkAndRunNoStrings() throws IOException {
    List<Path> scripts = files(".js");
    assertThat(scripts).hasSizeGreaterThan(5);
    for (Path script : scripts) {
      String source = Files.readString(script);
      assertThat(SINKS.matcher(source).find())
          .as("%s uses an HTML sink or runs a string as code: %s", script, firstMatch(source))
          .isFalse();
    }
  }

  @Test
  void thePageHasNoInlineScriptStyleOrHandlers() throws IOException {
    String html = Files.readString(STATIC.resolve("index.html"));
    assertThat(html)
        .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
        .doesNotContainPattern("<style")
        .doesNotContainPattern("\\sstyle=")
        .doesNotContainPattern("\\son[a-z]+=")
        .doesNotContainPattern("(src|href)=\"(https?:)?//");
  }

  private static String firstMatch(String source) {
    var m = SINKS.matcher(source);
    return m.find() ? m.group() : "";
  }

  private static List<Path> files(String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(STATIC)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).toList();
    }
  }
}

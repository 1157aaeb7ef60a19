package dev.signet.e2e.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The spellings sent for a path, and that each is classified as what it is. */
class PathVariantsTest {

  private static final List<PathVariant> CHALLENGE =
      PathVariants.of("/v1/challenge", Set.of("/actuator/health", "/v1/client/public"));

  @Test
  void containsTheKnownBypassesAndEveryFamily() {
    assertThat(CHALLENGE)
        .extracting(PathVariant::rawPath)
        .contains(
            "/v1;x/challenge",
            "/v1/challenge;x",
            "/v1;/challenge",
            "/%76%31/challenge",
            "/%761/challenge",
            "/v%31/challenge",
            "/v1/%63hallenge",
            "/%76%31/%63%68%61%6C%6C%65%6E%67%65",
            "/V1/CHALLENGE",
            "//v1/challenge",
            "/v1//challenge",
            "/./v1/challenge",
            "/v1/./challenge",
            "/x/../v1/challenge",
            "/v1/x/../challenge",
            "/actuator/health/../../v1/challenge",
            "/v1/client/public/../../../v1/challenge",
            "/v1/%2e/challenge",
            "/v1/x/%2e%2e/challenge",
            "/v1/x/..;/challenge",
            "/v1/challenge/",
            "/v1/challenge%00",
            "/v1%00/challenge",
            "/v1%2fchallenge",
            "/v1%2Fchallenge",
            "/v1%5cchallenge",
            "/v1\\challenge",
            "/%25761/challenge");
    assertThat(CHALLENGE)
        .extracting(PathVariant::rawPath)
        .anyMatch(p -> p.equals("/v1/challenge/" + "a".repeat(5_000)))
        .anyMatch(p -> p.equals("/v1/challenge/" + "a".repeat(3_000)));
  }

  @Test
  void putsDotSegmentsBeforeTheLastSegmentToo() {
    assertThat(PathVariants.of("/actuator/health/liveness", Set.of()))
        .extracting(PathVariant::rawPath)
        .contains(
            "/actuator/health/./liveness",
            "/actuator/health/x/../liveness",
            "/actuator/health//liveness",
            "/actuator/./health/liveness");
  }

  @Test
  void encodesEachCharacterOfTheFirstTwoSegments() {
    List<PathVariant> users = PathVariants.of("/v1/users/u1/actions", Set.of());

    // "v1" and "users": 7 characters, one variant each; "u1" and "actions" are left alone
    assertThat(users).filteredOn(v -> v.name().startsWith("encoded@")).hasSize(7);
    assertThat(users)
        .extracting(PathVariant::rawPath)
        .contains("/v1/user%73/u1/actions")
        .doesNotContain("/v1/users/%751/actions");
  }

  @Test
  void everyFirewallSpellingCarriesSomethingAStrictFirewallRefuses() {
    for (PathVariant variant : PathVariants.firewallOnly(CHALLENGE)) {
      String raw = variant.rawPath().toLowerCase();
      assertThat(
              raw.contains(";")
                  || raw.contains("%2e")
                  || raw.contains("%2f")
                  || raw.contains("%5c")
                  || raw.contains("%25")
                  || raw.contains("%00")
                  || raw.contains("\\")
                  || raw.contains("//")
                  || raw.contains("/./")
                  || raw.contains("/../")
                  || raw.endsWith("/.."))
          .as("%s %s", variant.name(), variant.rawPath())
          .isTrue();
    }
  }

  @Test
  void everyAliasDecodesToThePathItself() {
    assertThat(CHALLENGE).filteredOn(v -> v.kind() == PathVariant.Kind.ALIAS).isNotEmpty();
    for (PathVariant variant : CHALLENGE) {
      String decoded = URLDecoder.decode(variant.rawPath(), StandardCharsets.UTF_8);
      if (variant.kind() == PathVariant.Kind.ALIAS) {
        assertThat(decoded).as(variant.name()).isEqualTo("/v1/challenge");
      } else if (variant.kind() == PathVariant.Kind.MISS) {
        assertThat(decoded).as(variant.name()).isNotEqualTo("/v1/challenge");
      }
    }
  }

  @Test
  void anEncodedDotIsAFirewallSpellingNotAnAlias() {
    List<PathVariant> jwks = PathVariants.of("/.well-known/jwks.json", Set.of());

    assertThat(jwks)
        .filteredOn(v -> v.rawPath().equals("/%2Ewell-known/jwks.json"))
        .singleElement()
        .extracting(PathVariant::kind)
        .isEqualTo(PathVariant.Kind.FIREWALL);
    assertThat(jwks)
        .filteredOn(v -> v.rawPath().equals("/.%77ell-known/jwks.json"))
        .singleElement()
        .extracting(PathVariant::kind)
        .isEqualTo(PathVariant.Kind.ALIAS);
  }

  @Test
  void handlesTheRootAndPathsEndingInASlash() {
    assertThat(PathVariants.of("/", Set.of()))
        .extracting(PathVariant::rawPath)
        .contains("/;x", "//", "/./", "/%00", "/%2f", "/\\")
        .doesNotContain("/");
    assertThat(PathVariants.of("/dashboard/", Set.of()))
        .extracting(PathVariant::rawPath)
        .contains("/dashboard;x/", "/dashboard/;x", "/%64ashboard/", "/DASHBOARD/")
        .doesNotContain("/dashboard/");
  }

  @Test
  void neverRepeatsASpellingNorSendsThePlainPath() {
    assertThat(CHALLENGE).extracting(PathVariant::rawPath).doesNotHaveDuplicates();
    assertThat(CHALLENGE).extracting(PathVariant::rawPath).doesNotContain("/v1/challenge");
    assertThat(PathVariants.of("/", Set.of())).extracting(PathVariant::rawPath).doesNotContain("/");
  }
}

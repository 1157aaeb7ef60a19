package dev.signet.challenge.ui;

import dev.signet.challenge.action.Action;
import dev.signet.challenge.action.ActionState;
import dev.signet.challenge.action.ActionStore;
import dev.signet.challenge.config.ChallengeProperties;
import dev.signet.challenge.phone.PhoneNumbers;
import dev.signet.challenge.user.SmsAuthenticator;
import dev.signet.challenge.user.User;
import dev.signet.challenge.user.UserStore;
import dev.signet.challenge.web.ApiError;
import dev.signet.challenge.web.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The hosted (pre-built) page: {@code GET /ui?token=<track token>} serves the page for the token's
 * action attempt, once. What the page offers follows from the action and the token's scopes, never
 * from the URL: the SMS challenge of a {@code CHALLENGE_REQUIRED} action (then, with a scope,
 * adding or changing a number), or for an allowed action adding a number ({@code
 * add:authenticators}) or changing it ({@code update:authenticators}). The first open of an attempt
 * is recorded with one conditional update, so a second open of any link of the same attempt (a
 * leaked URL, the browser history) is refused; the token's own expiry ends the link too.
 */
@RestController
class HostedPageController {

  private static final Logger log = LoggerFactory.getLogger(HostedPageController.class);

  static final String ADD = "add:authenticators";
  static final String UPDATE = "update:authenticators";
  static final long MAX_LOGO_BYTES = 256 * 1024;

  private static final Set<ActionState> ENROL_STATES =
      Set.of(ActionState.ALLOW, ActionState.CHALLENGE_SUCCEEDED);
  private static final Map<String, MediaType> LOGO_TYPES =
      Map.of(
          "png", MediaType.IMAGE_PNG,
          "jpg", MediaType.IMAGE_JPEG,
          "jpeg", MediaType.IMAGE_JPEG,
          "webp", MediaType.parseMediaType("image/webp"),
          "svg", MediaType.parseMediaType("image/svg+xml"));

  private final HostedPage page;
  private final UiProperties properties;
  private final ChallengeProperties challenge;
  private final UserStore users;
  private final ActionStore actions;
  private final Clock clock;
  private final String brandCss;
  private final byte[] logo;
  private final MediaType logoType;

  HostedPageController(
      HostedPage page,
      UiProperties properties,
      ChallengeProperties challenge,
      UserStore users,
      ActionStore actions,
      Clock clock) {
    this.page = page;
    this.properties = properties;
    this.challenge = challenge;
    this.users = users;
    this.actions = actions;
    this.clock = clock;
    // The colour is checked to be #rrggbb at start-up: nothing else can reach the style sheet.
    this.brandCss = ":root { --brand: " + properties.branding().primaryColor() + "; }\n";
    String logoFile = properties.branding().logoFile();
    if (logoFile == null) {
      this.logo = null;
      this.logoType = null;
    } else {
      String name = logoFile.toLowerCase(Locale.ROOT);
      String extension = name.substring(name.lastIndexOf('.') + 1);
      this.logoType = LOGO_TYPES.get(extension);
      if (logoType == null) {
        throw new IllegalArgumentException(
            "signet.challenge.ui.branding.logo-file must be a .png, .jpg, .webp or .svg file");
      }
      try {
        Path path = Path.of(logoFile);
        if (Files.size(path) > MAX_LOGO_BYTES) {
          throw new IllegalArgumentException(
              "signet.challenge.ui.branding.logo-file is larger than 256 KB");
        }
        this.logo = Files.readAllBytes(path);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "signet.challenge.ui.branding.logo-file cannot be read: " + logoFile, e);
      }
    }
  }

  @GetMapping(path = UiSecurityConfiguration.PAGE)
  Mono<Void> open(@AuthenticationPrincipal UiToken token, ServerWebExchange exchange) {
    String acceptLanguage =
        exchange.getRequest().getHeaders().getFirst(HttpHeaders.ACCEPT_LANGUAGE);
    return Mono.zip(
            actions.find(token.actionId()).map(Optional::of).defaultIfEmpty(Optional.empty()),
            users.find(token.claims().userId()))
        .flatMap(
            found -> {
              Optional<User> user = found.getT2();
              String language =
                  HostedPage.language(user.map(User::locale).orElse(null), acceptLanguage);
              if (found.getT1().isEmpty()) {
                return page.error(exchange, HttpStatus.NOT_FOUND, "not_found", language);
              }
              Action action = found.getT1().get();
              if (action.openedInHostedPage()) {
                // A reopened link says so before anything else about the action.
                return page.error(exchange, HttpStatus.GONE, "link_used", language);
              }
              Optional<SmsAuthenticator> sms = user.flatMap(User::defaultSmsAuthenticator);
              String mode = mode(action.state(), sms.isPresent(), token.scopes());
              if (mode.startsWith("!")) {
                HttpStatus status =
                    "!not_allowed".equals(mode) ? HttpStatus.FORBIDDEN : HttpStatus.CONFLICT;
                return page.error(exchange, status, mode.substring(1), language);
              }
              return firstOpen(token, action, sms, mode, language, exchange);
            });
  }

  /** Serves the page if this is the attempt's first open (recorded with a conditional write). */
  private Mono<Void> firstOpen(
      UiToken token,
      Action action,
      Optional<SmsAuthenticator> sms,
      String mode,
      String language,
      ServerWebExchange exchange) {
    return actions
        .markHostedPageOpened(token.actionId(), clock.instant())
        .flatMap(
            first -> {
              if (!first) {
                log.info("hosted page refused, already opened actionId={}", token.actionId());
                return page.error(exchange, HttpStatus.GONE, "link_used", language);
              }
              log.info(
                  "hosted page opened userId={} actionCode={} mode={}",
                  token.claims().userId(),
                  token.claims().actionCode(),
                  mode);
              Map<String, Object> config = page.baseConfig(language);
              config.put("mode", mode);
              config.put("state", action.state().name());
              config.put("phone", sms.map(a -> PhoneNumbers.mask(a.phoneNumber())).orElse(null));
              config.put("next", next(mode, token.scopes()));
              config.put("redirectUrl", action.page().redirectUrl());
              config.put("codeLength", challenge.codeLength());
              config.put("codeLifetimeSeconds", challenge.codeLifetime().toSeconds());
              config.put("resendCooldownSeconds", challenge.limits().resendCooldown().toSeconds());
              return page.write(exchange, HttpStatus.OK, page.render(language, config));
            });
  }

  /** After a challenge, what the page offers next with the token's scopes, or null. */
  private static String next(String mode, Set<String> scopes) {
    if (!"challenge".equals(mode)) {
      return null;
    }
    return scopes.contains(ADD) ? "enrol" : scopes.contains(UPDATE) ? "change" : null;
  }

  /**
   * What the page does for an action in {@code state}: {@code challenge}, {@code enrol}, {@code
   * change}, or a refusal ({@code !not_allowed}, {@code !nothing_to_do}). Enrolment through the
   * page always needs a scope, also for a user's first number: the app asks for it explicitly.
   */
  static String mode(ActionState state, boolean enrolled, Set<String> scopes) {
    if (state == ActionState.CHALLENGE_REQUIRED) {
      return enrolled ? "challenge" : "!nothing_to_do";
    }
    if (state != null && ENROL_STATES.contains(state)) {
      if (scopes.contains(ADD)) {
        return "enrol";
      }
      if (scopes.contains(UPDATE) && enrolled) {
        return "change";
      }
      return "!not_allowed";
    }
    return "!nothing_to_do";
  }

  @GetMapping(path = "/ui/brand.css")
  ResponseEntity<String> brandCss() {
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "css", java.nio.charset.StandardCharsets.UTF_8))
        .cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)))
        .body(brandCss);
  }

  @GetMapping(path = "/ui/brand/logo")
  ResponseEntity<byte[]> logo() {
    if (logo == null) {
      throw new ApiException(ApiError.NOT_FOUND, "No logo is configured.");
    }
    return ResponseEntity.ok()
        .contentType(logoType)
        // An SVG opened on its own must not run anything.
        .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        .cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)))
        .body(logo);
  }
}

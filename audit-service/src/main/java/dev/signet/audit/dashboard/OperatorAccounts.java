package dev.signet.audit.dashboard;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The configured operator accounts: a user name and a password hash in Spring Security's
 * delegating format ({@code {bcrypt}$2a$10$...}), never a password. The configuration is one
 * string, {@code alice:{bcrypt}$2a$...,bob:{bcrypt}$2a$...}: an entry starts wherever a comma or
 * white space is followed by {@code name:{}, so hashes that hold commas ({@code {argon2}}) fit.
 * A user name that is no account is checked against a dummy hash, so the time taken does not tell
 * which names exist.
 */
final class OperatorAccounts {

  /** User names: what a reviewer record shows; no spaces, no control characters. */
  static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._@-]{1,64}$");

  private static final Pattern ENTRY_START =
      Pattern.compile("(?:^|[\\s,]+)([A-Za-z0-9._@-]{1,64}):(?=\\{)");

  /** Slow, salted hashes only: {@code {noop}} or a fast digest would make a leaked list a list. */
  private static final Set<String> ACCEPTED = Set.of("bcrypt", "argon2", "pbkdf2", "scrypt");

  private final Map<String, String> hashes;
  private final PasswordEncoder encoder;
  private final String dummyHash;

  private OperatorAccounts(Map<String, String> hashes, PasswordEncoder encoder) {
    this.hashes = hashes;
    this.encoder = encoder;
    this.dummyHash = hashes.isEmpty() ? null : encoder.encode("signet-no-such-operator");
  }

  /**
   * @throws IllegalStateException for an entry that is not {@code name:{id}hash} with an accepted
   *     hash, or a name given twice: a typo must stop the start, not lock an operator out silently
   */
  static OperatorAccounts parse(String configured, PasswordEncoder encoder) {
    Map<String, String> hashes = new LinkedHashMap<>();
    String text = configured == null ? "" : configured.strip();
    if (!text.isEmpty()) {
      Matcher m = ENTRY_START.matcher(text);
      int previousEnd = -1;
      String previousName = null;
      int expectedStart = 0;
      while (m.find()) {
        if (previousName == null && m.start() != expectedStart) {
          throw invalid("it must start with name:{id}hash");
        }
        if (previousName != null) {
          put(hashes, previousName, text.substring(previousEnd, m.start()).strip());
        }
        previousName = m.group(1);
        previousEnd = m.end();
      }
      if (previousName == null) {
        throw invalid("no entry of the form name:{id}hash");
      }
      put(hashes, previousName, text.substring(previousEnd).strip());
    }
    return new OperatorAccounts(Map.copyOf(hashes), encoder);
  }

  private static void put(Map<String, String> hashes, String name, String hash) {
    int close = hash.indexOf('}');
    String id = close < 0 || !hash.startsWith("{") ? "" : hash.substring(1, close);
    // {pbkdf2@SpringSecurity_v5_8} and friends: the same algorithm with newer parameters.
    String algorithm = id.split("@", 2)[0].toLowerCase(Locale.ROOT);
    if (!ACCEPTED.contains(algorithm) || hash.length() <= close + 1 || hash.matches(".*\\s.*")) {
      throw invalid(
          "the entry of "
              + name
              + " must be a {bcrypt}, {argon2}, {pbkdf2} or {scrypt} hash (never {noop})");
    }
    if (algorithm.equals("argon2") && !bouncyCastlePresent()) {
      throw invalid("{argon2} needs BouncyCastle on the class path; use {bcrypt}");
    }
    if (hashes.putIfAbsent(name, hash) != null) {
      throw invalid(name + " is configured twice");
    }
  }

  private static boolean bouncyCastlePresent() {
    try {
      Class.forName("org.bouncycastle.crypto.params.Argon2Parameters");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static IllegalStateException invalid(String reason) {
    return new IllegalStateException(
        "signet.dashboard.operators (SIGNET_DASHBOARD_OPERATORS) is not valid: " + reason);
  }

  /** True when {@code username} is an account and {@code password} its password. Blocks (hash). */
  boolean matches(String username, String password) {
    String hash = hashes.get(username);
    if (hash == null) {
      if (dummyHash != null) {
        encoder.matches(password, dummyHash);
      }
      return false;
    }
    return encoder.matches(password, hash);
  }

  boolean isEmpty() {
    return hashes.isEmpty();
  }

  Set<String> usernames() {
    return hashes.keySet();
  }
}

package dev.signet.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The secrets of the local stack. Each is generated once with {@link SecureRandom}, stored in
 * {@code <data>/secrets.properties} (owner read/write only) and reused on later starts, so that
 * sealed codes and signed tokens survive a restart; a non-blank environment variable of the same
 * name wins over the stored value.
 */
final class Secrets {

  static final String API_SECRET = "SIGNET_API_SECRET";
  static final String MANAGEMENT_SECRET = "SIGNET_MANAGEMENT_SECRET";
  static final String SEAL_KEYS = "SIGNET_SEAL_KEYS";
  static final String SEAL_ACTIVE_KEY_ID = "SIGNET_SEAL_ACTIVE_KEY_ID";
  static final String CODE_HMAC_KEY = "SIGNET_CODE_HMAC_KEY";
  static final String TOKEN_SIGNING_KEYS = "SIGNET_TOKEN_SIGNING_KEYS";
  static final String TOKEN_ACTIVE_KEY_ID = "SIGNET_TOKEN_ACTIVE_KEY_ID";
  static final String VONAGE_API_KEY = "SIGNET_VONAGE_API_KEY";
  static final String VONAGE_API_SECRET = "SIGNET_VONAGE_API_SECRET";
  static final String VONAGE_SIGNATURE_SECRET = "SIGNET_VONAGE_SIGNATURE_SECRET";
  static final String TWILIO_ACCOUNT_SID = "SIGNET_TWILIO_ACCOUNT_SID";
  static final String TWILIO_AUTH_TOKEN = "SIGNET_TWILIO_AUTH_TOKEN";
  static final String DASHBOARD_OPERATOR = "SIGNET_DASHBOARD_OPERATOR";
  static final String DASHBOARD_PASSWORD = "SIGNET_DASHBOARD_PASSWORD";
  static final String SCHEMA_REGISTRY_WRITER_PASSWORD = "SIGNET_SCHEMA_REGISTRY_WRITER_PASSWORD";

  private final Map<String, String> values;

  private Secrets(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Generators in file order; all keys are named like the environment variables they feed. */
  private static Map<String, Function<SecureRandom, String>> generators() {
    Map<String, Function<SecureRandom, String>> g = new LinkedHashMap<>();
    g.put(API_SECRET, r -> urlToken(r, 32));
    g.put(MANAGEMENT_SECRET, r -> urlToken(r, 32));
    g.put(SEAL_KEYS, r -> "k1:" + Base64.getEncoder().encodeToString(bytes(r, 32)));
    g.put(SEAL_ACTIVE_KEY_ID, r -> "k1");
    g.put(CODE_HMAC_KEY, r -> Base64.getEncoder().encodeToString(bytes(r, 32)));
    g.put(TOKEN_SIGNING_KEYS, r -> tokenSigningKeys(r, "t1"));
    g.put(TOKEN_ACTIVE_KEY_ID, r -> "t1");
    // Shaped like Vonage credentials: an 8-hex-digit key and a 16-hex-digit secret.
    g.put(VONAGE_API_KEY, r -> HexFormat.of().formatHex(bytes(r, 4)));
    g.put(VONAGE_API_SECRET, r -> HexFormat.of().formatHex(bytes(r, 8)));
    g.put(VONAGE_SIGNATURE_SECRET, r -> urlToken(r, 32));
    // Shaped like Twilio credentials: AC and 32 hex digits, a 32-hex-digit auth token.
    g.put(TWILIO_ACCOUNT_SID, r -> "AC" + HexFormat.of().formatHex(bytes(r, 16)));
    g.put(TWILIO_AUTH_TOKEN, r -> HexFormat.of().formatHex(bytes(r, 16)));
    // The developer's account on the operator dashboard; audit-service gets only its hash.
    g.put(DASHBOARD_OPERATOR, r -> "operator");
    g.put(DASHBOARD_PASSWORD, r -> urlToken(r, 18));
    // Kafka SCRAM passwords: the broker's admin (super user) and one per principal.
    for (KafkaPrincipal principal : KafkaPrincipal.values()) {
      g.put(principal.passwordKey(), r -> urlToken(r, 24));
    }
    // HTTP Basic password of the registry's one writer (schema registration, deletes, config).
    g.put(SCHEMA_REGISTRY_WRITER_PASSWORD, r -> urlToken(r, 24));
    return g;
  }

  static List<String> keys() {
    return List.copyOf(generators().keySet());
  }

  /**
   * Reads the stored secrets, generates and stores any that are missing, and applies environment
   * overrides (which are never written to the file).
   */
  static Secrets loadOrCreate(Path file, Map<String, String> env, SecureRandom random) {
    Properties stored = new Properties();
    if (Files.exists(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        stored.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    }
    boolean changed = false;
    for (var entry : generators().entrySet()) {
      String value = stored.getProperty(entry.getKey());
      if (value == null || value.isBlank()) {
        stored.setProperty(entry.getKey(), entry.getValue().apply(random));
        changed = true;
      }
    }
    if (changed || !Files.exists(file)) {
      write(file, stored);
    } else {
      OwnerOnlyFiles.restrict(file);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : keys()) {
      String override = env.get(key);
      values.put(key, override != null && !override.isBlank() ? override : stored.getProperty(key));
    }
    return new Secrets(values);
  }

  String get(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("No secret " + key);
    }
    return value;
  }

  String apiSecret() {
    return get(API_SECRET);
  }

  String managementSecret() {
    return get(MANAGEMENT_SECRET);
  }

  String dashboardOperator() {
    return get(DASHBOARD_OPERATOR);
  }

  String dashboardPassword() {
    return get(DASHBOARD_PASSWORD);
  }

  String kafkaPassword(KafkaPrincipal principal) {
    return get(principal.passwordKey());
  }

  /**
   * The dashboard account as audit-service reads it ({@code SIGNET_DASHBOARD_OPERATORS}): the user
   * name and a {@code {pbkdf2@SpringSecurity_v5_8}} hash of the password in Spring Security's
   * format (PBKDF2 with HMAC-SHA-256, 310,000 iterations, 16-byte salt, hex of salt and hash), made
   * with the JDK alone so the launcher stays free of dependencies.
   */
  String dashboardOperators(SecureRandom random) {
    return dashboardOperator() + ":" + pbkdf2(dashboardPassword(), random);
  }

  static String pbkdf2(String password, SecureRandom random) {
    byte[] salt = bytes(random, 16);
    try {
      byte[] hash =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
              .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 310_000, 256))
              .getEncoded();
      byte[] both = new byte[salt.length + hash.length];
      System.arraycopy(salt, 0, both, 0, salt.length);
      System.arraycopy(hash, 0, both, salt.length, hash.length);
      return "{pbkdf2@SpringSecurity_v5_8}" + HexFormat.of().formatHex(both);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM cannot compute PBKDF2WithHmacSHA256", e);
    }
  }

  private static void write(Path file, Properties props) {
    StringBuilder out = new StringBuilder();
    out.append("# Signet local stack secrets, generated once; environment variables of the\n");
    out.append("# same names override them. Delete this file to generate new ones.\n");
    for (String key : keys()) {
      out.append(key).append('=').append(props.getProperty(key)).append('\n');
    }
    try {
      OwnerOnlyFiles.write(file, out.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private static byte[] bytes(SecureRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * A JWK set with one EC P-256 private key for ES256 tokens, base64-encoded so that it stays one
   * line in the properties file and in the environment.
   */
  static String tokenSigningKeys(SecureRandom random, String kid) {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM cannot generate EC P-256 keys", e);
    }
    ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
    BigInteger d = ((ECPrivateKey) pair.getPrivate()).getS();
    String jwks =
        "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\""
            + kid
            + "\",\"use\":\"sig\",\"alg\":\"ES256\",\"x\":\""
            + coordinate(w.getAffineX())
            + "\",\"y\":\""
            + coordinate(w.getAffineY())
            + "\",\"d\":\""
            + coordinate(d)
            + "\"}]}";
    return Base64.getEncoder().encodeToString(jwks.getBytes(StandardCharsets.UTF_8));
  }

  /** A P-256 field element as JWK wants it: 32 bytes big-endian, base64url without padding. */
  private static String coordinate(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, fixed, 32 - length, length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }

  private static String urlToken(SecureRandom random, int n) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(random, n));
  }
}

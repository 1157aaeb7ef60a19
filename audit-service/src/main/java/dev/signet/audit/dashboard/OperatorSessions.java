package dev.signet.audit.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.bson.Document;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpCookie;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Server-side dashboard sessions in MongoDB ({@code dashboard_sessions}). The cookie holds 256
 * random bits; the store keeps only their SHA-256, the operator's name and the expiry, so a copy of
 * the collection signs nobody in. Every request with the cookie looks its session up, so sign-out
 * (which deletes it) ends a copied cookie at once, on every instance.
 *
 * <p>As the security chain's context repository it turns a live session into an {@link Operator}
 * authentication with the {@link #AUTHORITY}; the chain's rules decide what that may reach.
 */
public final class OperatorSessions implements ServerSecurityContextRepository {

  /** Granted by a live dashboard session. */
  public static final String AUTHORITY = "SIGNET_DASHBOARD_OPERATOR";

  /**
   * Every dashboard call carries {@code X-Signet-Dashboard: 1}: a page of another site cannot add a
   * custom header without a CORS preflight this service never grants (defence against cross-site
   * request forgery, on top of the cookie's {@code SameSite=Strict}).
   */
  public static final String CSRF_HEADER = "X-Signet-Dashboard";

  static final String COLLECTION = "dashboard_sessions";
  private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9_-]{43}$");

  private final ReactiveMongoTemplate mongo;
  private final SessionCookies cookies;
  private final Duration ttl;
  private final Clock clock;
  private final SecureRandom random;

  /** A signed-in operator: who, how ({@code password} or {@code oidc}) and until when. */
  record Session(String id, String operator, String method, Instant expiresAt) {}

  /** A new session with the cookie value that proves it. */
  record Issued(String token, Session session) {}

  OperatorSessions(
      ReactiveMongoTemplate mongo,
      SessionCookies cookies,
      Duration ttl,
      Clock clock,
      SecureRandom random) {
    this.mongo = mongo;
    this.cookies = cookies;
    this.ttl = ttl;
    this.clock = clock;
    this.random = random;
  }

  /** Starts a session for {@code operator}, valid for the configured lifetime. */
  Mono<Issued> create(String operator, String method) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    Session session = new Session(id(token), operator, method, now.plus(ttl));
    Document document =
        new Document("_id", session.id())
            .append("operator", operator)
            .append("method", method)
            .append("createdAt", Date.from(now))
            .append("expiresAt", Date.from(session.expiresAt()));
    return mongo
        .insert(document, COLLECTION)
        .then(
            mongo.remove(Query.query(Criteria.where("expiresAt").lte(Date.from(now))), COLLECTION))
        .thenReturn(new Issued(token, session));
  }

  /** Ends a session: its cookie no longer signs anyone in, wherever it was copied. */
  Mono<Void> delete(Session session) {
    return mongo.remove(Query.query(Criteria.where("_id").is(session.id())), COLLECTION).then();
  }

  /** The live session the request's cookie proves, if any. */
  Mono<Session> find(ServerWebExchange exchange) {
    HttpCookie cookie = exchange.getRequest().getCookies().getFirst(cookies.name());
    if (cookie == null || !TOKEN.matcher(cookie.getValue()).matches()) {
      return Mono.empty();
    }
    Instant now = clock.instant();
    return mongo
        .findById(id(cookie.getValue()), Document.class, COLLECTION)
        .filter(d -> d.getDate("expiresAt").toInstant().isAfter(now))
        .map(
            d ->
                new Session(
                    d.getString("_id"),
                    d.getString("operator"),
                    d.getString("method"),
                    d.getDate("expiresAt").toInstant()));
  }

  Duration ttl() {
    return ttl;
  }

  @Override
  public Mono<SecurityContext> load(ServerWebExchange exchange) {
    return find(exchange).map(session -> new SecurityContextImpl(new Operator(session)));
  }

  /** Sessions are only created by sign-in, never by the chain saving a context. */
  @Override
  public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
    return Mono.empty();
  }

  private static String id(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The authentication of a request that carries a live session cookie. */
  static final class Operator extends AbstractAuthenticationToken {

    private final Session session;

    Operator(Session session) {
      super(List.of(new SimpleGrantedAuthority(AUTHORITY)));
      this.session = session;
      setAuthenticated(true);
    }

    Session session() {
      return session;
    }

    @Override
    public Object getCredentials() {
      return "";
    }

    @Override
    public Object getPrincipal() {
      return session.operator();
    }

    @Override
    public String toString() {
      return "Operator[" + session.operator() + "]";
    }
  }
}

package dev.signet.rules.store;

import dev.signet.rules.policy.RoutingRule;
import dev.signet.rules.policy.SendPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The send policy in MongoDB, one document per policy id. A change is one conditional write on the
 * version it was computed from (optimistic concurrency: of two instances changing the policy at
 * once, one retries on the fresh version), and the document remembers the highest version published
 * to Kafka ({@code publishedVersion}), so the publisher relays whatever a crash left unpublished:
 * the policy and the fact that it must be announced are written together, no dual write. A blocking
 * store (MongoDB's synchronous driver): the pumping guard changes the policy on the Kafka listener
 * threads; the management API and the publisher call it on the bounded elastic scheduler.
 */
@Component
public class SendPolicyStore {

  static final String COLLECTION = "send_policy";
  static final String PUBLISHED_VERSION = "publishedVersion";

  private final MongoTemplate mongo;

  SendPolicyStore(MongoTemplate mongo) {
    this.mongo = mongo;
  }

  /** The policy and the highest version known to be published. */
  public record Stored(SendPolicy policy, long publishedVersion) {}

  public Optional<Stored> load(String policyId) {
    return Optional.ofNullable(mongo.findById(policyId, Document.class, COLLECTION))
        .map(d -> new Stored(fromDocument(d), d.get(PUBLISHED_VERSION, Number.class).longValue()));
  }

  /** Stores the first version unless a policy exists already; whether it was inserted. */
  public boolean insertIfAbsent(SendPolicy initial) {
    try {
      mongo.insert(toDocument(initial).append(PUBLISHED_VERSION, 0L), COLLECTION);
      return true;
    } catch (RuntimeException e) {
      if (!SignalStore.isDuplicate(e)) {
        throw e;
      }
      return false;
    }
  }

  /**
   * Writes {@code next} if the stored version is still {@code next.version() - 1}; whether it was
   * written (false: someone else changed the policy first; reload and retry).
   */
  public boolean replace(SendPolicy next) {
    Update update = new Update();
    toDocument(next)
        .forEach(
            (k, v) -> {
              if (!k.equals("_id")) {
                update.set(k, v);
              }
            });
    return mongo
            .updateFirst(
                Query.query(
                    Criteria.where("_id")
                        .is(next.policyId())
                        .and("version")
                        .is(next.version() - 1)),
                update,
                COLLECTION)
            .getModifiedCount()
        == 1;
  }

  /** Records that {@code version} reached Kafka (never lowers the mark). */
  public void markPublished(String policyId, long version) {
    mongo.updateFirst(
        Query.query(Criteria.where("_id").is(policyId).and(PUBLISHED_VERSION).lt(version)),
        new Update().set(PUBLISHED_VERSION, version),
        COLLECTION);
  }

  static Document toDocument(SendPolicy p) {
    SendPolicy.Settings s = p.settings();
    return new Document("_id", p.policyId())
        .append("version", p.version())
        .append("allowedCountries", s.allowedCountries())
        .append("shadowMode", s.shadowMode())
        .append("perNumber", velocity(s.perNumber()))
        .append("perPrefix", velocity(s.perPrefix()))
        .append("perCountry", velocity(s.perCountry()))
        .append("dailyGlobalBudget", s.dailyGlobalBudget())
        .append("minConversionRate", s.minConversionRate())
        .append("conversionMinVolume", s.conversionMinVolume())
        .append("conversionWindowSeconds", s.conversionWindow().toSeconds())
        .append("autoBlockSeconds", s.autoBlockDuration().toSeconds())
        .append("blockedPrefixes", blocks(p.blockedPrefixes()))
        .append("blockedCountries", blocks(p.blockedCountries()))
        .append("lifts", lifts(p.lifts()))
        .append("routing", routing(p.routing()))
        .append("updatedBy", p.updatedBy())
        .append("updatedAt", Date.from(p.updatedAt()))
        .append("correlationId", p.correlationId());
  }

  static SendPolicy fromDocument(Document d) {
    SendPolicy.Settings settings =
        new SendPolicy.Settings(
            d.getList("allowedCountries", String.class),
            d.getBoolean("shadowMode"),
            velocity(d.get("perNumber", Document.class)),
            velocity(d.get("perPrefix", Document.class)),
            velocity(d.get("perCountry", Document.class)),
            d.get("dailyGlobalBudget") == null
                ? null
                : d.get("dailyGlobalBudget", Number.class).longValue(),
            d.get("minConversionRate", Number.class).doubleValue(),
            d.get("conversionMinVolume", Number.class).intValue(),
            Duration.ofSeconds(d.get("conversionWindowSeconds", Number.class).longValue()),
            Duration.ofSeconds(d.get("autoBlockSeconds", Number.class).longValue()));
    List<SendPolicy.Lift> lifts = new ArrayList<>();
    for (Document l : d.getList("lifts", Document.class)) {
      lifts.add(
          new SendPolicy.Lift(
              SendPolicy.Kind.valueOf(l.getString("kind")),
              l.getString("value"),
              l.getDate("at").toInstant()));
    }
    return new SendPolicy(
        d.getString("_id"),
        d.get("version", Number.class).longValue(),
        settings,
        readBlocks(d.getList("blockedPrefixes", Document.class)),
        readBlocks(d.getList("blockedCountries", Document.class)),
        lifts,
        readRouting(d.getList("routing", Document.class, List.of())),
        d.getString("updatedBy"),
        d.getDate("updatedAt").toInstant(),
        d.getString("correlationId"));
  }

  private static Document velocity(SendPolicy.Velocity v) {
    return new Document("maxCount", v.maxCount()).append("windowSeconds", v.window().toSeconds());
  }

  private static SendPolicy.Velocity velocity(Document d) {
    return new SendPolicy.Velocity(
        d.get("maxCount", Number.class).intValue(),
        Duration.ofSeconds(d.get("windowSeconds", Number.class).longValue()));
  }

  private static List<Document> blocks(List<SendPolicy.Block> blocks) {
    List<Document> out = new ArrayList<>();
    for (SendPolicy.Block b : blocks) {
      out.add(
          new Document("value", b.value())
              .append("reason", b.reason())
              .append("until", b.until() == null ? null : Date.from(b.until()))
              .append("at", Date.from(b.at())));
    }
    return out;
  }

  private static List<SendPolicy.Block> readBlocks(List<Document> docs) {
    List<SendPolicy.Block> out = new ArrayList<>();
    for (Document d : docs) {
      Date until = d.getDate("until");
      out.add(
          new SendPolicy.Block(
              d.getString("value"),
              d.getString("reason"),
              until == null ? null : until.toInstant(),
              d.getDate("at").toInstant()));
    }
    return out;
  }

  private static List<Document> routing(List<RoutingRule> rules) {
    List<Document> out = new ArrayList<>();
    for (RoutingRule rule : rules) {
      List<Document> routes = new ArrayList<>();
      for (RoutingRule.Route r : rule.routes()) {
        routes.add(
            new Document("provider", r.provider())
                .append("api", r.api())
                .append("sender", r.sender())
                .append("weight", r.weight()));
      }
      out.add(
          new Document("country", rule.country())
              .append("channel", rule.channel())
              .append("routes", routes));
    }
    return out;
  }

  /** Stored rules; a document written before routing existed has none. */
  private static List<RoutingRule> readRouting(List<Document> docs) {
    List<RoutingRule> out = new ArrayList<>();
    for (Document d : docs) {
      List<RoutingRule.Route> routes = new ArrayList<>();
      for (Document r : d.getList("routes", Document.class)) {
        routes.add(
            new RoutingRule.Route(
                r.getString("provider"),
                r.getString("api"),
                r.getString("sender"),
                r.get("weight", Number.class).intValue()));
      }
      out.add(new RoutingRule(d.getString("country"), d.getString("channel"), routes));
    }
    return out;
  }

  private static List<Document> lifts(List<SendPolicy.Lift> lifts) {
    List<Document> out = new ArrayList<>();
    for (SendPolicy.Lift l : lifts) {
      out.add(
          new Document("kind", l.kind().name())
              .append("value", l.value())
              .append("at", Date.from(l.at())));
    }
    return out;
  }
}

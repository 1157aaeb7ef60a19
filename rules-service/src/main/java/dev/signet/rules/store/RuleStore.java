package dev.signet.rules.store;

import com.mongodb.client.model.Indexes;
import dev.signet.rules.evaluation.ActionDefaults;
import dev.signet.rules.evaluation.Condition;
import dev.signet.rules.evaluation.ConditionCodec;
import dev.signet.rules.evaluation.InvalidRuleException;
import dev.signet.rules.evaluation.Outcome;
import dev.signet.rules.evaluation.Rule;
import java.time.Clock;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Rules and per-action defaults in MongoDB. Every decision reads them afresh (one indexed query per
 * collection), so a change made through the management API applies to the next decision on every
 * instance, without a restart or a cache to invalidate.
 */
@Component
public class RuleStore {

  private static final Logger log = LoggerFactory.getLogger(RuleStore.class);
  private static final Set<String> UNREADABLE_REPORTED = ConcurrentHashMap.newKeySet();

  static final String RULES = "rules";
  static final String DEFAULTS = "action_defaults";

  private final ReactiveMongoTemplate mongo;
  private final Clock clock;

  RuleStore(ReactiveMongoTemplate mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /** Creates the indexes; called once at start-up. */
  public Mono<Void> createIndexes() {
    return mongo
        .getCollection(RULES)
        .flatMap(c -> Mono.from(c.createIndex(Indexes.ascending("actionCode", "priority"))))
        .then();
  }

  /** The rules of an action in evaluation order. */
  public Mono<List<Rule>> rules(String actionCode) {
    return mongo
        .find(rulesOf(actionCode), Document.class, RULES)
        .map(RuleStore::toRule)
        .collectList();
  }

  public Mono<Rule> rule(String actionCode, String ruleId) {
    return mongo
        .findOne(
            Query.query(Criteria.where("_id").is(ruleId).and("actionCode").is(actionCode)),
            Document.class,
            RULES)
        .map(RuleStore::toRule);
  }

  /** Inserts a new rule (its id is fresh, so this never overwrites). */
  public Mono<Rule> insert(Rule rule) {
    Document doc = toDocument(rule);
    Date now = Date.from(clock.instant());
    doc.put("createdAt", now);
    doc.put("updatedAt", now);
    return mongo.insert(doc, RULES).thenReturn(rule);
  }

  /** Replaces an existing rule; empty when it does not exist for this action. */
  public Mono<Rule> replace(Rule rule) {
    Update update = new Update();
    toDocument(rule)
        .forEach(
            (k, v) -> {
              if (!k.equals("_id")) {
                update.set(k, v);
              }
            });
    update.set("updatedAt", Date.from(clock.instant()));
    return mongo
        .findAndModify(
            Query.query(
                Criteria.where("_id").is(rule.id()).and("actionCode").is(rule.actionCode())),
            update,
            FindAndModifyOptions.options().returnNew(true),
            Document.class,
            RULES)
        .map(RuleStore::toRule);
  }

  public Mono<Boolean> delete(String actionCode, String ruleId) {
    return mongo
        .remove(
            Query.query(Criteria.where("_id").is(ruleId).and("actionCode").is(actionCode)), RULES)
        .map(result -> result.getDeletedCount() > 0);
  }

  /** The action codes that have rules or defaults. */
  public Flux<String> actionCodes() {
    return Flux.merge(
            mongo.findDistinct(new Query(), "actionCode", RULES, String.class),
            mongo.findDistinct(new Query(), "_id", DEFAULTS, String.class))
        .distinct()
        .sort();
  }

  public Mono<ActionDefaults> defaults(String actionCode) {
    return mongo
        .findById(actionCode, Document.class, DEFAULTS)
        .map(d -> toDefaults(actionCode, d))
        .defaultIfEmpty(ActionDefaults.builtIn(actionCode));
  }

  static ActionDefaults toDefaults(String actionCode, Document d) {
    return new ActionDefaults(
        actionCode,
        Outcome.valueOf(d.getString("enrolled")),
        Outcome.valueOf(d.getString("unenrolled")));
  }

  static Query rulesOf(String actionCode) {
    return Query.query(Criteria.where("actionCode").is(actionCode))
        .with(Sort.by("priority", "_id"));
  }

  public Mono<ActionDefaults> saveDefaults(ActionDefaults defaults) {
    Update update =
        new Update()
            .set("enrolled", defaults.enrolled().name())
            .set("unenrolled", defaults.unenrolled().name())
            .set("updatedAt", Date.from(clock.instant()));
    return mongo
        .upsert(Query.query(Criteria.where("_id").is(defaults.actionCode())), update, DEFAULTS)
        .thenReturn(defaults);
  }

  public Mono<Boolean> deleteDefaults(String actionCode) {
    return mongo
        .remove(Query.query(Criteria.where("_id").is(actionCode)), DEFAULTS)
        .map(result -> result.getDeletedCount() > 0);
  }

  static Document toDocument(Rule rule) {
    Document doc = new Document("_id", rule.id());
    doc.put("actionCode", rule.actionCode());
    doc.put("name", rule.name());
    doc.put("description", rule.description());
    doc.put("priority", rule.priority());
    doc.put("enabled", rule.enabled());
    doc.put("outcome", rule.outcome().name());
    doc.put("condition", new Document(ConditionCodec.write(rule.condition())));
    return doc;
  }

  /**
   * The rule a stored document describes. A condition this version refuses (a regular expression
   * only the backtracking engine of an earlier version accepted, say) does not fail the read, which
   * would fail every decision of the action: the rule loads with an {@link Condition.Unreadable}
   * condition that never matches, and a warning names it once per rule and process.
   */
  @SuppressWarnings("unchecked")
  static Rule toRule(Document doc) {
    Map<String, Object> stored = (Map<String, Object>) doc.get("condition");
    Condition condition;
    try {
      condition = ConditionCodec.read(stored);
    } catch (InvalidRuleException e) {
      String ruleId = doc.getString("_id");
      if (UNREADABLE_REPORTED.add(ruleId) && UNREADABLE_REPORTED.size() < 10_000) {
        log.warn(
            "stored rule cannot be read and is ignored until it is replaced ruleId={}"
                + " actionCode={} problem={}",
            ruleId,
            doc.getString("actionCode"),
            e.getMessage());
      }
      condition =
          new Condition.Unreadable(
              stored == null ? Map.of() : new LinkedHashMap<>(stored), e.getMessage());
    }
    return new Rule(
        doc.getString("_id"),
        doc.getString("actionCode"),
        doc.getString("name"),
        doc.getString("description"),
        doc.getInteger("priority"),
        doc.getBoolean("enabled"),
        Outcome.valueOf(doc.getString("outcome")),
        condition);
  }
}

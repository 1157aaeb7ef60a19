package dev.signet.rules.store;

import dev.signet.rules.evaluation.ActionDefaults;
import dev.signet.rules.evaluation.Rule;
import java.util.List;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Component;

/**
 * The rules and defaults of an action as a decision reads them: afresh for every decision (hot
 * reload), with MongoDB's synchronous driver, since decisions are made on the Kafka listener
 * threads. The management API writes them through {@link RuleStore}.
 */
@Component
public class RuleReader {

  private final MongoTemplate mongo;

  RuleReader(MongoTemplate mongo) {
    this.mongo = mongo;
  }

  /** The rules of an action in evaluation order. */
  public List<Rule> rules(String actionCode) {
    return mongo.find(RuleStore.rulesOf(actionCode), Document.class, RuleStore.RULES).stream()
        .map(RuleStore::toRule)
        .toList();
  }

  /** The action's defaults, or the built-in ones when none are stored. */
  public ActionDefaults defaults(String actionCode) {
    Document d = mongo.findById(actionCode, Document.class, RuleStore.DEFAULTS);
    return d == null ? ActionDefaults.builtIn(actionCode) : RuleStore.toDefaults(actionCode, d);
  }
}

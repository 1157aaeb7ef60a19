package dev.signet.localstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A non-unique index answering equality queries, for the MongoDB-wire server.
 *
 * <p>mongo-java-server accepts {@code createIndex} for a non-unique index but keeps no entries for
 * it, so every lookup by such a field (a delivery receipt's provider message id, say) scans the
 * collection. This index maps each key value to the positions of the documents holding it; an array
 * field gives one key per element, as in MongoDB. It answers queries whose conditions on its fields
 * are plain values ({@code {field: value}}); ranges, {@code $in}, regular expressions and nulls are
 * left to the scan. It lives in memory and is rebuilt from the documents when the collection is
 * opened.
 *
 * @param <P> a document's position in its collection
 */
final class EqualityIndex<P> extends Index<P> {

  private final Map<KeyValue, Set<P>> positionsByKey = new HashMap<>();
  private final Map<P, Set<KeyValue>> keysByPosition = new HashMap<>();
  private final Map<KeyValue, P> positionById = new HashMap<>();
  private final Comparator<? super P> order;

  /**
   * @param order the order of the positions a lookup returns (the collection's natural order), or
   *     null for the order they were indexed in
   */
  EqualityIndex(String name, List<IndexKey> keys, boolean sparse, Comparator<? super P> order) {
    super(name, keys, sparse);
    this.order = order;
  }

  @Override
  public synchronized P getPosition(Document document) {
    return positionById.get(idKey(document));
  }

  @Override
  public void checkAdd(Document document, MongoCollection<P> collection) {
    // Not unique: nothing to check.
  }

  @Override
  public synchronized void add(Document document, P position, MongoCollection<P> collection) {
    positionById.put(idKey(document), position);
    index(document, position);
  }

  @Override
  public synchronized P remove(Document document) {
    P position = positionById.remove(idKey(document));
    if (position != null) {
      unindex(position);
    }
    return position;
  }

  @Override
  public synchronized boolean canHandle(Document query) {
    if (!query.keySet().equals(keySet())) {
      return false;
    }
    for (Object value : query.values()) {
      if (!isPlainValue(value)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized Iterable<P> getPositions(Document query) {
    List<Object> values = new ArrayList<>();
    for (String key : keys()) {
      values.add(query.get(key));
    }
    Set<P> found = positionsByKey.get(new KeyValue(values).normalized());
    if (found == null) {
      return List.of();
    }
    List<P> positions = new ArrayList<>(found);
    if (order != null) {
      positions.sort(order);
    }
    return positions;
  }

  @Override
  public synchronized long getCount() {
    return keysByPosition.size();
  }

  @Override
  public long getDataSize() {
    return 0;
  }

  @Override
  public void checkUpdate(
      Document oldDocument, Document newDocument, MongoCollection<P> collection) {
    // Not unique: nothing to check.
  }

  @Override
  public synchronized void updateInPlace(
      Document oldDocument, Document newDocument, P position, MongoCollection<P> collection) {
    unindex(position);
    positionById.remove(idKey(oldDocument));
    positionById.put(idKey(newDocument), position);
    index(newDocument, position);
  }

  @Override
  public synchronized void drop() {
    positionsByKey.clear();
    keysByPosition.clear();
    positionById.clear();
  }

  private void index(Document document, P position) {
    Set<KeyValue> keys = getKeyValues(document);
    keysByPosition.put(position, keys);
    for (KeyValue key : keys) {
      positionsByKey.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(position);
    }
  }

  private void unindex(P position) {
    Set<KeyValue> keys = keysByPosition.remove(position);
    if (keys == null) {
      return;
    }
    for (KeyValue key : keys) {
      Set<P> positions = positionsByKey.get(key);
      if (positions != null) {
        positions.remove(position);
        if (positions.isEmpty()) {
          positionsByKey.remove(key);
        }
      }
    }
  }

  private static KeyValue idKey(Document document) {
    return new KeyValue(document.get("_id")).normalized();
  }

  /** A value an equality lookup answers exactly as the query matcher would. */
  private static boolean isPlainValue(Object value) {
    return value != null
        && !(value instanceof Missing)
        && !(value instanceof Document)
        && !(value instanceof Collection)
        && !(value instanceof BsonRegularExpression)
        && !(value instanceof Pattern);
  }
}

package dev.signet.localstack.mongo;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;

/**
 * Index selection for the MongoDB-wire server, wider than mongo-java-server's own.
 *
 * <p>mongo-java-server looks a query up in an index only when the query's fields are exactly the
 * index's fields: {@code {_id: x, state: "CLAIMED"}} scans the whole collection although {@code
 * _id} alone finds the one candidate. Here an index is used when every one of its fields is queried
 * for a value the index can look up; the candidates it yields are then matched against the whole
 * query as usual. Narrowing by a conjunct never loses a match, so the result is the same as the
 * scan's. Unique indexes are tried first, then {@link EqualityIndex secondary} ones.
 */
final class IndexedQueries {

  private IndexedQueries() {}

  /** Candidate positions for {@code query}, or null when no index narrows it (scan then). */
  static <P> Iterable<P> candidates(List<Index<P>> indexes, Document query) {
    Iterable<P> found = candidates(indexes, query, true);
    return found != null ? found : candidates(indexes, query, false);
  }

  private static <P> Iterable<P> candidates(
      List<Index<P>> indexes, Document query, boolean unique) {
    for (Index<P> index : indexes) {
      if (index.isUnique() != unique) {
        continue;
      }
      Document part = indexedPart(index, query);
      if (part != null && index.canHandle(part)) {
        return index.getPositions(part);
      }
    }
    return null;
  }

  /** The conditions of {@code query} on the fields of {@code index}; null if one is missing. */
  private static Document indexedPart(Index<?> index, Document query) {
    List<IndexKey> keys = index.getKeys();
    if (keys.size() > query.size()) {
      return null;
    }
    Document part = new Document();
    for (IndexKey key : keys) {
      Object value = query.get(key.getKey());
      if (value == null) {
        // Absent, or a query for null, which also matches documents without the field: the index
        // of the library decides that case on its own terms (exact field match), not here.
        return null;
      }
      part.put(key.getKey(), value);
    }
    return part;
  }
}

package dev.signet.localstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.DataType;

/**
 * mongo-java-server's H2 (file) backend with wider index use ({@link IndexedQueries}) and
 * non-unique secondary indexes ({@link EqualityIndex}, kept in memory and rebuilt when a collection
 * opens).
 */
public final class IndexedH2Backend extends H2Backend {

  public IndexedH2Backend(String fileName) {
    super(fileName);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new Database(databaseName, getCursorRegistry());
  }

  /**
   * An inner class: H2Database's constructor already opens a collection, before a field of this
   * class could be set, and the store is the enclosing backend's.
   */
  private final class Database extends H2Database {

    Database(String databaseName, CursorRegistry cursorRegistry) {
      super(databaseName, getMvStore(), cursorRegistry);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(
        String collectionName, CollectionOptions options) {
      // The map names of H2Database.openOrCreateCollection (mongo-java-server 1.47), so that a file
      // written by either opens with the other.
      String namespace = getFullCollectionNamespace(collectionName);
      MVMap<String, Object> meta = getMvStore().openMap("meta." + namespace);
      return new Collection(this, collectionName, options, data(namespace), meta, cursorRegistry);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(
        String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      // Positions are the keys of the collection's map; a scan visits them in the map's order.
      DataType<Object> keyType = data(getFullCollectionNamespace(collectionName)).getKeyType();
      return new EqualityIndex<>(indexName, keys, sparse, keyType::compare);
    }
  }

  private MVMap<Object, Document> data(String namespace) {
    return getMvStore().openMap("databases." + namespace);
  }

  private static final class Collection extends H2Collection {

    Collection(
        MongoDatabase database,
        String collectionName,
        CollectionOptions options,
        MVMap<Object, Document> data,
        MVMap<String, Object> meta,
        CursorRegistry cursorRegistry) {
      super(database, collectionName, options, data, meta, cursorRegistry);
    }

    @Override
    protected QueryResult queryDocuments(
        Document query,
        Document orderBy,
        int numberToSkip,
        int limit,
        int batchSize,
        Document fieldSelector) {
      Iterable<Object> candidates = IndexedQueries.candidates(getIndexes(), query);
      if (candidates == null) {
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
      }
      return matchDocuments(
          query, candidates, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }
  }
}

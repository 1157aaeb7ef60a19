package dev.signet.localstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MongoDB-wire server's indexed backends answer every query exactly as mongo-java-server's own
 * backends do (same documents, same order), through the real MongoDB driver, while documents are
 * inserted, updated and deleted; and they do use the indexes.
 */
class IndexedBackendTest {

  private final List<MongoServer> servers = new ArrayList<>();
  private final List<MongoClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(MongoClient::close);
    servers.forEach(MongoServer::shutdown);
  }

  @Test
  void inMemoryAnswersAsTheLibraryDoes() {
    compare(new MemoryBackend(), new IndexedMemoryBackend());
  }

  @Test
  void h2AnswersAsTheLibraryDoes(@TempDir Path dir) {
    compare(
        new H2Backend(dir.resolve("plain.mv").toString()),
        new IndexedH2Backend(dir.resolve("indexed.mv").toString()));
  }

  @Test
  void anH2FileWrittenByEitherBackendOpensWithTheOther(@TempDir Path dir) {
    String file = dir.resolve("store.mv").toString();
    MongoServer first = new MongoServer(new H2Backend(file));
    MongoCollection<Document> written = collection(first, "attempts");
    written.createIndex(Indexes.ascending("messageIds"));
    written.insertOne(new Document("_id", "a1").append("messageIds", List.of("m1", "m2")));
    written.insertOne(new Document("_id", "a2").append("messageIds", List.of("m3")));
    clients.remove(clients.size() - 1).close();
    servers.remove(first);
    first.shutdown();

    MongoServer second = new MongoServer(new IndexedH2Backend(file));
    MongoCollection<Document> read = collection(second, "attempts");
    assertThat(read.find(Filters.eq("messageIds", "m2")).first()).containsEntry("_id", "a1");
    read.insertOne(new Document("_id", "a3").append("messageIds", List.of("m4")));
    assertThat(read.find(Filters.eq("messageIds", "m4")).first()).containsEntry("_id", "a3");
    clients.remove(clients.size() - 1).close();
    servers.remove(second);
    second.shutdown();

    MongoCollection<Document> again = collection(new MongoServer(new H2Backend(file)), "attempts");
    assertThat(again.countDocuments()).isEqualTo(3);
    assertThat(again.find(Filters.eq("messageIds", "m4")).first()).containsEntry("_id", "a3");
  }

  @Test
  void aQueryOnIdAndMoreNarrowsByTheIdIndex() {
    Index<Integer> id = new EqualityIndexProbe("_id_", "_id");
    assertThat(IndexedQueries.candidates(List.of(id), wire("_id", "x").append("s", 1))).isNotNull();
    assertThat(IndexedQueries.candidates(List.of(id), wire("s", 1))).isNull();
    assertThat(IndexedQueries.candidates(List.of(id), wire("_id", wire("$gt", "x")).append("s", 1)))
        .isNull();
    assertThat(IndexedQueries.candidates(List.of(id), wire("_id", null))).isNull();
  }

  private static de.bwaldvogel.mongo.bson.Document wire(String key, Object value) {
    return new de.bwaldvogel.mongo.bson.Document(key, value);
  }

  @Test
  void aSecondaryIndexHoldsOneKeyPerArrayElementAndFollowsUpdates() {
    EqualityIndex<Integer> index =
        new EqualityIndex<>("ids_1", List.of(new IndexKey("ids", true)), false, Integer::compareTo);
    de.bwaldvogel.mongo.bson.Document doc =
        new de.bwaldvogel.mongo.bson.Document("_id", "a").append("ids", List.of("m1", "m2"));
    index.add(doc, 7, null);
    index.add(new de.bwaldvogel.mongo.bson.Document("_id", "b").append("ids", "m2"), 3, null);
    assertThat(index.getPositions(new de.bwaldvogel.mongo.bson.Document("ids", "m2")))
        .containsExactly(3, 7);
    de.bwaldvogel.mongo.bson.Document changed =
        new de.bwaldvogel.mongo.bson.Document("_id", "a").append("ids", List.of("m9"));
    index.updateInPlace(doc, changed, 7, null);
    assertThat(index.getPositions(new de.bwaldvogel.mongo.bson.Document("ids", "m1"))).isEmpty();
    assertThat(index.getPositions(new de.bwaldvogel.mongo.bson.Document("ids", "m9")))
        .containsExactly(7);
    assertThat(index.remove(changed)).isEqualTo(7);
    assertThat(index.getPositions(new de.bwaldvogel.mongo.bson.Document("ids", "m9"))).isEmpty();
    assertThat(index.getCount()).isEqualTo(1);
    assertThat(index.canHandle(new de.bwaldvogel.mongo.bson.Document("ids", "m1"))).isTrue();
    assertThat(
            index.canHandle(
                new de.bwaldvogel.mongo.bson.Document(
                    "ids", new de.bwaldvogel.mongo.bson.Document("$in", List.of("m1")))))
        .isFalse();
    assertThat(index.canHandle(new de.bwaldvogel.mongo.bson.Document("ids", null))).isFalse();
  }

  /** Random documents and changes, the same on both backends; every query must agree. */
  private void compare(MongoBackend plainBackend, MongoBackend indexedBackend) {
    MongoCollection<Document> plain = collection(new MongoServer(plainBackend), "docs");
    MongoCollection<Document> indexed = collection(new MongoServer(indexedBackend), "docs");
    for (MongoCollection<Document> c : List.of(plain, indexed)) {
      c.createIndex(Indexes.ascending("tag"));
      c.createIndex(Indexes.ascending("ids"));
      c.createIndex(Indexes.ascending("slot"), new IndexOptions().unique(true).sparse(true));
      c.createIndex(Indexes.ascending("group", "n"));
    }
    Random random = new Random(42);
    for (int round = 0; round < 6; round++) {
      for (int i = 0; i < 150; i++) {
        Document doc = randomDocument(random, round * 1000 + i);
        plain.insertOne(new Document(doc));
        indexed.insertOne(new Document(doc));
      }
      for (int i = 0; i < 40; i++) {
        String id = "d" + (round * 1000 + random.nextInt(150));
        Bson change =
            switch (random.nextInt(4)) {
              case 0 -> Updates.set("tag", "t" + random.nextInt(5));
              case 1 -> Updates.unset("tag");
              case 2 ->
                  Updates.set("ids", List.of("m" + random.nextInt(30), "m" + random.nextInt(30)));
              default -> Updates.set("state", random.nextBoolean() ? "CLAIMED" : "SENT");
            };
        plain.updateOne(Filters.eq("_id", id), change);
        indexed.updateOne(Filters.eq("_id", id), change);
      }
      for (int i = 0; i < 20; i++) {
        Bson gone = Filters.eq("tag", "t" + random.nextInt(5));
        plain.deleteOne(gone);
        indexed.deleteOne(gone);
      }
      for (Bson query : queries(round)) {
        assertThat(ids(indexed, query)).as(query.toString()).isEqualTo(ids(plain, query));
      }
    }
    // A conditional update by _id and more: the same documents change.
    Bson claim = Filters.and(Filters.eq("_id", "d5001"), Filters.eq("state", "CLAIMED"));
    assertThat(indexed.updateOne(claim, Updates.set("state", "DONE")).getModifiedCount())
        .isEqualTo(plain.updateOne(claim, Updates.set("state", "DONE")).getModifiedCount());
    assertThat(ids(indexed, Filters.eq("state", "DONE")))
        .isEqualTo(ids(plain, Filters.eq("state", "DONE")));
  }

  private static Document randomDocument(Random random, int n) {
    Document doc = new Document("_id", "d" + n).append("n", n % 7 == 0 ? (Object) 3.0 : n % 5);
    if (random.nextInt(4) > 0) {
      doc.append("tag", "t" + random.nextInt(5));
    }
    if (random.nextBoolean()) {
      List<String> ids = new ArrayList<>();
      for (int i = random.nextInt(3); i >= 0; i--) {
        ids.add("m" + random.nextInt(30));
      }
      doc.append("ids", ids);
    } else if (random.nextBoolean()) {
      doc.append("ids", "m" + random.nextInt(30));
    }
    if (random.nextInt(3) == 0) {
      doc.append("slot", "s" + n);
    }
    doc.append("group", "g" + random.nextInt(3));
    doc.append("state", random.nextBoolean() ? "CLAIMED" : "SENT");
    doc.append("at", new Date(1_000_000L * random.nextInt(50)));
    return doc;
  }

  private static List<Bson> queries(int round) {
    List<Bson> queries = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      queries.add(Filters.eq("tag", "t" + t));
      queries.add(Filters.and(Filters.eq("tag", "t" + t), Filters.eq("state", "CLAIMED")));
      queries.add(Filters.and(Filters.eq("tag", "t" + t), Filters.eq("n", 3)));
    }
    for (int m = 0; m < 30; m += 3) {
      queries.add(Filters.eq("ids", "m" + m));
      queries.add(Filters.and(Filters.eq("ids", "m" + m), Filters.lt("at", new Date(25_000_000L))));
      queries.add(Filters.in("ids", "m" + m, "m" + (m + 1)));
    }
    for (int d = 0; d < 150; d += 7) {
      String id = "d" + (round * 1000 + d);
      queries.add(Filters.and(Filters.eq("_id", id), Filters.eq("state", "CLAIMED")));
      queries.add(Filters.and(Filters.eq("_id", id), Filters.eq("tag", "t1")));
      queries.add(Filters.and(Filters.eq("slot", "s" + (round * 1000 + d)), Filters.exists("ids")));
    }
    queries.add(Filters.eq("tag", null));
    queries.add(Filters.exists("tag", false));
    queries.add(Filters.eq("ids", List.of("m1", "m2")));
    queries.add(Filters.regex("tag", Pattern.compile("^t[12]")));
    queries.add(Filters.and(Filters.eq("group", "g1"), Filters.eq("n", 3)));
    queries.add(
        Filters.and(Filters.eq("group", "g2"), Filters.eq("n", 3.0), Filters.eq("tag", "t2")));
    queries.add(Filters.eq("n", 3L));
    queries.add(Filters.and(Filters.eq("tag", "t2"), Filters.eq("n", 3L)));
    queries.add(Filters.or(Filters.eq("tag", "t1"), Filters.eq("ids", "m4")));
    return queries;
  }

  private static List<Object> ids(MongoCollection<Document> collection, Bson query) {
    List<Object> ids = new ArrayList<>();
    collection.find(query).forEach(doc -> ids.add(doc.get("_id")));
    List<Object> sorted = new ArrayList<>();
    collection
        .find(query)
        .sort(Sorts.descending("at", "_id"))
        .forEach(d -> sorted.add(d.get("_id")));
    ids.add("|");
    ids.addAll(sorted);
    return ids;
  }

  private MongoCollection<Document> collection(MongoServer server, String name) {
    servers.add(server);
    InetSocketAddress address = server.bind();
    MongoClient client =
        MongoClients.create("mongodb://" + address.getHostString() + ":" + address.getPort());
    clients.add(client);
    return client.getDatabase("test").getCollection(name);
  }

  /** A unique single-field index as IndexedQueries sees it, without a collection behind it. */
  private static final class EqualityIndexProbe extends Index<Integer> {
    EqualityIndexProbe(String name, String field) {
      super(name, List.of(new IndexKey(field, true)), false);
    }

    @Override
    public boolean isUnique() {
      return true;
    }

    @Override
    public Integer getPosition(de.bwaldvogel.mongo.bson.Document document) {
      return null;
    }

    @Override
    public void checkAdd(
        de.bwaldvogel.mongo.bson.Document document,
        de.bwaldvogel.mongo.MongoCollection<Integer> collection) {}

    @Override
    public void add(
        de.bwaldvogel.mongo.bson.Document document,
        Integer position,
        de.bwaldvogel.mongo.MongoCollection<Integer> collection) {}

    @Override
    public Integer remove(de.bwaldvogel.mongo.bson.Document document) {
      return null;
    }

    @Override
    public boolean canHandle(de.bwaldvogel.mongo.bson.Document query) {
      Object value = query.get("_id");
      return query.keySet().equals(keySet())
          && !(value instanceof de.bwaldvogel.mongo.bson.Document);
    }

    @Override
    public Iterable<Integer> getPositions(de.bwaldvogel.mongo.bson.Document query) {
      return List.of(1);
    }

    @Override
    public long getCount() {
      return 0;
    }

    @Override
    public long getDataSize() {
      return 0;
    }

    @Override
    public void checkUpdate(
        de.bwaldvogel.mongo.bson.Document oldDocument,
        de.bwaldvogel.mongo.bson.Document newDocument,
        de.bwaldvogel.mongo.MongoCollection<Integer> collection) {}

    @Override
    public void updateInPlace(
        de.bwaldvogel.mongo.bson.Document oldDocument,
        de.bwaldvogel.mongo.bson.Document newDocument,
        Integer position,
        de.bwaldvogel.mongo.MongoCollection<Integer> collection) {}

    @Override
    public void drop() {}
  }
}

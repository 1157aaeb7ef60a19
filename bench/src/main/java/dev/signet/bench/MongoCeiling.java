package dev.signet.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.bson.Document;
import org.bson.types.Binary;

/**
 * The storage ceiling: the real MongoDB driver against the stack's MongoDB-wire server, in a
 * database of its own. {@link #insert()} writes a challenge-shaped document (hash, counters,
 * expiry, one pending outbox event) as challenge-service does per challenge; {@link
 * #findAndModify(long)} is the conditional {@code $inc} of the verify path. The blocking driver
 * runs on a fixed pool, so queueing for a thread counts as latency.
 */
final class MongoCeiling implements AutoCloseable {

  private static final String DATABASE = "signet-bench-ceiling";
  private final MongoClient client;
  private final MongoCollection<Document> collection;
  private final MongoCollection<Document> verifying;
  private final ExecutorService pool = Executors.newFixedThreadPool(32, Threads.daemon("mongo"));
  private final List<String> prepared = new ArrayList<>();

  MongoCeiling(String uri) {
    this.client = MongoClients.create(uri);
    this.collection = client.getDatabase(DATABASE).getCollection("challenges");
    // findAndModify works on a collection of its own, so its size does not depend on how many
    // documents the insert ceiling wrote.
    this.verifying = client.getDatabase(DATABASE).getCollection("verifying");
    client.getDatabase(DATABASE).drop();
  }

  void prepare(int documents) {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < documents; i++) {
      Document d = challengeShaped();
      prepared.add(d.getString("_id"));
      docs.add(d);
      if (docs.size() == 500) {
        verifying.insertMany(docs);
        docs.clear();
      }
    }
    if (!docs.isEmpty()) {
      verifying.insertMany(docs);
    }
  }

  CompletableFuture<String> insert() {
    return CompletableFuture.supplyAsync(
        () -> {
          collection.insertOne(challengeShaped());
          return Ledger.OK;
        },
        pool);
  }

  CompletableFuture<String> findAndModify(long index) {
    String id = prepared.get((int) (index % prepared.size()));
    return CompletableFuture.supplyAsync(
        () -> {
          Document after =
              verifying.findOneAndUpdate(
                  new Document("_id", id)
                      .append("attempts", new Document("$lt", Integer.MAX_VALUE)),
                  Updates.inc("attempts", 1),
                  new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
          return after == null ? "unexpected:no_document" : Ledger.OK;
        },
        pool);
  }

  /** The same update filtered by {@code _id} alone, to tell the index lookup from the condition. */
  CompletableFuture<String> findAndModifyByIdOnly(long index) {
    String id = prepared.get((int) (index % prepared.size()));
    return CompletableFuture.supplyAsync(
        () -> {
          Document after =
              verifying.findOneAndUpdate(
                  new Document("_id", id),
                  Updates.inc("attempts", 1),
                  new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
          return after == null ? "unexpected:no_document" : Ledger.OK;
        },
        pool);
  }

  private static Document challengeShaped() {
    byte[] hash = new byte[32];
    byte[] sealed = new byte[60];
    byte[] payload = new byte[300];
    ThreadLocalRandom.current().nextBytes(hash);
    ThreadLocalRandom.current().nextBytes(sealed);
    ThreadLocalRandom.current().nextBytes(payload);
    Date now = new Date();
    return new Document("_id", UUID.randomUUID().toString())
        .append("phoneNumber", "+447700900000")
        .append("action", "signIn")
        .append("codeHmac", new Binary(hash))
        .append("attempts", 0)
        .append("sends", 1)
        .append("createdAt", now)
        .append("expiresAt", new Date(now.getTime() + 600_000))
        .append(
            "outbox",
            List.of(
                new Document("eventId", UUID.randomUUID().toString())
                    .append("topic", "auth.challenge.requested.v1")
                    .append("sealedCode", new Binary(sealed))
                    .append("payload", new Binary(payload))));
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      client.getDatabase(DATABASE).drop();
    } finally {
      client.close();
    }
  }
}

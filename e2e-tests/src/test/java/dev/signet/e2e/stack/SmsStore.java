package dev.signet.e2e.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The stack's SMS side as the tests see it: challenges requested through the API, and the
 * dispatcher's collections ({@code sms_attempts}, {@code sms_receipts}) read straight from MongoDB,
 * whichever database the dispatcher uses.
 */
public final class SmsStore {

  private final RunningStack stack;
  private final Http http;

  public SmsStore(RunningStack stack, Http http) {
    this.stack = stack;
    this.http = http;
  }

  /** Requests an SMS challenge to {@code phone} and returns its id. */
  public String challenge(String phone) {
    Http.Reply reply =
        http.post(
            stack.url("challenge") + "/v1/challenge",
            Http.basic(stack.apiSecret()),
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + phone
                + "\"}");
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body().path("challengeId").asText();
  }

  /** The documents of {@code collection} (in any database) that match {@code filter}. */
  public List<Document> find(String collection, Bson filter) {
    List<Document> found = new ArrayList<>();
    try (MongoClient mongo =
        MongoClients.create(
            stack.description().path("components").path("mongo").path("url").asText())) {
      for (String database : mongo.listDatabaseNames()) {
        for (String name : mongo.getDatabase(database).listCollectionNames()) {
          if (name.equals(collection)) {
            mongo.getDatabase(database).getCollection(name).find(filter).into(found);
          }
        }
      }
    }
    return found;
  }
}

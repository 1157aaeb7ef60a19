package dev.signet.challenge.user;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * Maps users to and from their MongoDB document in {@code users}: {@code _id} is the user id,
 * authenticators are embedded, {@code version} guards every write, and a deleted user stays as a
 * tombstone without personal data until its pending events are published.
 */
final class UserDocuments {

  static final String COLLECTION = "users";
  static final String ID = "_id";
  static final String VERSION = "version";
  static final String DELETED = "deleted";
  static final String AUTHENTICATORS = "authenticators";
  static final String PHONE_NUMBER = "phoneNumber";
  static final String EMAIL = "email";
  static final String USERNAME = "username";

  /** Attribute fields written on every change; a deletion unsets them. */
  static final List<String> ATTRIBUTES =
      List.of(
          EMAIL,
          "emailVerified",
          PHONE_NUMBER,
          "phoneRegion",
          "phoneNumberVerified",
          USERNAME,
          "displayName",
          "custom",
          "locale",
          "createdAt",
          "updatedAt",
          AUTHENTICATORS);

  private UserDocuments() {}

  /** A stored document: its version (0 when there is none) and the live user, if any. */
  record Stored(long version, boolean exists, Optional<User> user) {
    static final Stored NONE = new Stored(0, false, Optional.empty());
  }

  static Stored read(Document doc) {
    if (doc == null) {
      return Stored.NONE;
    }
    long version = ((Number) doc.getOrDefault(VERSION, 0L)).longValue();
    if (Boolean.TRUE.equals(doc.getBoolean(DELETED))) {
      return new Stored(version, true, Optional.empty());
    }
    return new Stored(version, true, Optional.of(toUser(doc)));
  }

  /** The attribute fields of a user, as stored (without id, version and outbox). */
  static Document attributes(User user) {
    Document doc = new Document();
    doc.put(EMAIL, user.email());
    doc.put("emailVerified", user.emailVerified());
    doc.put(PHONE_NUMBER, user.phoneNumber());
    doc.put("phoneRegion", user.phoneRegion());
    doc.put("phoneNumberVerified", user.phoneNumberVerified());
    doc.put(USERNAME, user.username());
    doc.put("displayName", user.displayName());
    doc.put("custom", new Document(user.custom()));
    doc.put("locale", user.locale());
    doc.put("createdAt", date(user.createdAt()));
    doc.put("updatedAt", date(user.updatedAt()));
    List<Document> authenticators = new ArrayList<>();
    for (SmsAuthenticator a : user.authenticators()) {
      authenticators.add(authenticator(a));
    }
    doc.put(AUTHENTICATORS, authenticators);
    return doc;
  }

  static Document authenticator(SmsAuthenticator a) {
    Document doc = new Document();
    doc.put("userAuthenticatorId", a.userAuthenticatorId());
    doc.put("verificationMethod", SmsAuthenticator.VERIFICATION_METHOD);
    doc.put(PHONE_NUMBER, a.phoneNumber());
    doc.put("countryCode", a.countryCode());
    doc.put("createdAt", date(a.createdAt()));
    doc.put("verifiedAt", date(a.verifiedAt()));
    doc.put("lastVerifiedAt", date(a.lastVerifiedAt()));
    doc.put("isDefault", a.isDefault());
    doc.put("previousSmsChannel", a.previousSmsChannel());
    return doc;
  }

  static User toUser(Document doc) {
    String userId = doc.getString(ID);
    List<SmsAuthenticator> authenticators = new ArrayList<>();
    for (Document a : doc.getList(AUTHENTICATORS, Document.class, List.of())) {
      authenticators.add(
          new SmsAuthenticator(
              a.getString("userAuthenticatorId"),
              userId,
              a.getString(PHONE_NUMBER),
              a.getString("countryCode"),
              instant(a.getDate("createdAt")),
              instant(a.getDate("verifiedAt")),
              instant(a.getDate("lastVerifiedAt")),
              Boolean.TRUE.equals(a.getBoolean("isDefault")),
              a.getString("previousSmsChannel")));
    }
    Document custom = doc.get("custom", Document.class);
    Map<String, Object> customMap = new LinkedHashMap<>();
    if (custom != null) {
      customMap.putAll(custom);
    }
    return new User(
        userId,
        doc.getString(EMAIL),
        Boolean.TRUE.equals(doc.getBoolean("emailVerified")),
        doc.getString(PHONE_NUMBER),
        doc.getString("phoneRegion"),
        Boolean.TRUE.equals(doc.getBoolean("phoneNumberVerified")),
        doc.getString(USERNAME),
        doc.getString("displayName"),
        customMap,
        doc.getString("locale"),
        authenticators,
        instant(doc.getDate("createdAt")),
        instant(doc.getDate("updatedAt")));
  }

  private static Date date(Instant instant) {
    return instant == null ? null : Date.from(instant);
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}

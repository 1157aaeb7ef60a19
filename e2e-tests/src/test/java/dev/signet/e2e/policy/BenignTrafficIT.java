package dev.signet.e2e.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.signet.e2e.stack.Http;
import dev.signet.e2e.stack.RunningStack;
import dev.signet.e2e.stack.Sandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A benign mixed workload against the stack's default send limits: 1,000 sign-ins over 200 real
 * looking numbers of seven allowed countries (valid for libphonenumber, random, so spread over
 * prefixes as real users are), 150 users of whom 50 use a second number, 40 resends after the
 * cooldown, the end users behind 16 IPv4 addresses and 6 IPv6 /64s (a fresh interface id per
 * request, as privacy addresses do), each sign-in verified with the code from the sandbox like a
 * real user types it. Paced at 25 sign-ins a second. Not one send may be refused or blocked.
 */
class BenignTrafficIT {

  private static final int NUMBERS = 200;
  private static final int USERS = 150;
  private static final int SIGN_INS_PER_NUMBER = 5;
  private static final int RESEND_EVERY = 5;
  private static final long MILLIS_BETWEEN_SIGN_INS = 40;
  private static final Duration RESEND_AFTER = Duration.ofSeconds(31);
  private static final Set<String> ALLOWED =
      Set.of(
          "GB", "IE", "US", "CA", "AU", "NZ", "DE", "FR", "ES", "IT", "NL", "BE", "PT", "AT", "CH",
          "SE", "NO", "DK", "FI", "PL");

  /** Country code and the start of mobile numbers, with how many of the 200 numbers it gets. */
  private record Range(String start, int digits, int count) {}

  private static final List<Range> RANGES =
      List.of(
          new Range("+447", 9, 70), // GB mobiles
          new Range("+1", 10, 40), // US and Canada
          new Range("+4917", 8, 15), // DE
          new Range("+4915", 9, 15), // DE
          new Range("+336", 8, 20), // FR
          new Range("+346", 8, 20), // ES
          new Range("+3538", 8, 10), // IE
          new Range("+614", 8, 10)); // AU

  private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

  private static RunningStack stack;
  private final Http http = new Http();

  @BeforeAll
  static void start() {
    stack = RunningStack.get();
  }

  @Test
  void aThousandSignInsOfRealUsersSeeNoBlock() throws Exception {
    Random random = new Random(20261206L);
    List<String> numbers = validNumbers(random);
    String run = UUID.randomUUID().toString().substring(0, 6);
    // user u owns number u; users 0..49 also own number 150 + u
    String[] ownerOf = new String[NUMBERS];
    for (int n = 0; n < NUMBERS; n++) {
      ownerOf[n] = "benign-" + run + "-" + (n < USERS ? n : n - USERS);
    }
    Sandbox sandbox = new Sandbox(stack, http);
    Instant started = Instant.now();

    Queue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicInteger signIns = new AtomicInteger();
    AtomicInteger resends = new AtomicInteger();
    AtomicInteger verified = new AtomicInteger();
    ExecutorService users = Executors.newFixedThreadPool(48);
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    try {
      List<CompletableFuture<Void>> last = new ArrayList<>();
      for (int n = 0; n < NUMBERS; n++) {
        last.add(CompletableFuture.completedFuture(null));
      }
      List<CompletableFuture<Void>> done = new ArrayList<>();
      long slot = 0;
      for (int pass = 0; pass < SIGN_INS_PER_NUMBER; pass++) {
        List<Integer> order = new ArrayList<>();
        for (int n = 0; n < NUMBERS; n++) {
          order.add(n);
        }
        java.util.Collections.shuffle(order, random);
        boolean lastPass = pass == SIGN_INS_PER_NUMBER - 1;
        for (int n : order) {
          int number = n;
          boolean resend = lastPass && number % RESEND_EVERY == 0;
          CompletableFuture<Void> due = new CompletableFuture<>();
          clock.schedule(() -> due.complete(null), slot++ * MILLIS_BETWEEN_SIGN_INS, MILLIS);
          // One number's sign-ins follow each other, as one person's do.
          CompletableFuture<Void> flow =
              last.get(number)
                  .thenCombine(due, (a, b) -> (Void) null)
                  .thenComposeAsync(
                      v ->
                          signIn(
                              numbers.get(number),
                              ownerOf[number],
                              ipOf(ownerOf[number]),
                              resend,
                              sandbox,
                              clock,
                              problems,
                              signIns,
                              resends,
                              verified),
                      users);
          last.set(number, flow);
          done.add(flow);
        }
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    } finally {
      users.shutdownNow();
      clock.shutdownNow();
    }

    assertThat(problems).as("sign-ins that did not go as a real user's does").isEmpty();
    assertThat(signIns.get()).isEqualTo(NUMBERS * SIGN_INS_PER_NUMBER);
    assertThat(resends.get()).isEqualTo(NUMBERS / RESEND_EVERY);
    assertThat(verified.get()).isEqualTo(NUMBERS * SIGN_INS_PER_NUMBER);

    // Nothing refused or blocked for these users, and the pumping guard blocked no destination.
    Set<String> ours = new HashSet<>(List.of(ownerOf));
    for (String type : List.of("challenge.send-refused", "sms.blocked")) {
      JsonNode items =
          audit("/v1/audit/activities?type=" + type + "&from=" + started + "&limit=200")
              .path("items");
      List<String> theirs = new ArrayList<>();
      items.forEach(
          i -> {
            if (ours.contains(i.path("userId").asText())) {
              theirs.add(i.toString());
            }
          });
      assertThat(theirs).as(type).isEmpty();
    }
    JsonNode policyAfter = policy();
    List<String> newBlocks = new ArrayList<>();
    for (String kind : List.of("blockedPrefixes", "blockedCountries")) {
      policyAfter
          .path(kind)
          .forEach(
              b -> {
                if (!Instant.parse(b.path("blockedAt").asText()).isBefore(started)) {
                  newBlocks.add(b.toString());
                }
              });
    }
    assertThat(newBlocks)
        .as("destinations the pumping guard blocked during the workload")
        .isEmpty();
  }

  private static final TimeUnit MILLIS = TimeUnit.MILLISECONDS;

  /** One sign-in: request a code, read it from the phone, (maybe ask again), type it in. */
  private CompletableFuture<Void> signIn(
      String phone,
      String userId,
      String ip,
      boolean resend,
      Sandbox sandbox,
      ScheduledExecutorService clock,
      Queue<String> problems,
      AtomicInteger signIns,
      AtomicInteger resends,
      AtomicInteger verified) {
    Http.Reply issued =
        post(
            "/v1/challenge",
            "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"phoneNumber\":\""
                + phone
                + "\",\"userId\":\""
                + userId
                + "\",\"ipAddress\":\""
                + ip
                + "\"}");
    if (issued.status() != 200) {
      problems.add("sign-in " + mask(phone) + ": " + issued.status() + " " + issued.raw().body());
      return CompletableFuture.completedFuture(null);
    }
    signIns.incrementAndGet();
    String challengeId = issued.body().path("challengeId").asText();
    String code = awaitCode(sandbox, phone, challengeId, 1);
    if (!resend) {
      verify(phone, challengeId, code, problems, verified);
      return CompletableFuture.completedFuture(null);
    }
    // The code did not show up in time for this user: they ask again after the cooldown.
    CompletableFuture<Void> again = new CompletableFuture<>();
    clock.schedule(
        () -> {
          try {
            Http.Reply resent =
                post(
                    "/v1/challenge",
                    "{\"verificationMethod\":\"SMS\",\"action\":\"signIn\",\"challengeId\":\""
                        + challengeId
                        + "\",\"ipAddress\":\""
                        + ip
                        + "\"}");
            if (resent.status() != 200) {
              problems.add(
                  "resend " + mask(phone) + ": " + resent.status() + " " + resent.raw().body());
            } else {
              resends.incrementAndGet();
              verify(
                  phone,
                  challengeId,
                  awaitCode(sandbox, phone, challengeId, 2),
                  problems,
                  verified);
            }
            again.complete(null);
          } catch (RuntimeException | AssertionError e) {
            again.completeExceptionally(e);
          }
        },
        RESEND_AFTER.toMillis(),
        MILLIS);
    return again;
  }

  /**
   * The code of one send, read from the phone: the message whose client reference is the send's
   * attempt. Under load the dispatcher may retry a provider call that timed out after the sandbox
   * took it, so one send can arrive twice; counting messages would then read an older code.
   */
  private static String awaitCode(Sandbox sandbox, String phone, String challengeId, int attempt) {
    String clientRef = challengeId + ":" + attempt;
    AtomicReference<String> code = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              for (JsonNode message : sandbox.messages(phone)) {
                if (clientRef.equals(message.path("clientRef").asText())) {
                  Matcher matcher = CODE.matcher(message.path("text").asText());
                  if (matcher.find()) {
                    code.set(matcher.group(1));
                    return true;
                  }
                }
              }
              return false;
            });
    return code.get();
  }

  private void verify(
      String phone,
      String challengeId,
      String code,
      Queue<String> problems,
      AtomicInteger verified) {
    Http.Reply reply =
        post(
            "/v1/verify",
            "{\"challengeId\":\"" + challengeId + "\",\"verificationCode\":\"" + code + "\"}");
    if (reply.status() == 200 && reply.body().path("isVerified").asBoolean()) {
      verified.incrementAndGet();
    } else {
      problems.add("verify " + mask(phone) + ": " + reply.status() + " " + reply.raw().body());
    }
  }

  /**
   * The end user's address as the app's back end reports it: users 0..15 of each sixteen share an
   * IPv4 address (an office, a carrier's NAT), the others sit in one of six IPv6 /64s and draw a
   * fresh interface id per request.
   */
  private static String ipOf(String userId) {
    int user = Integer.parseInt(userId.substring(userId.lastIndexOf('-') + 1));
    int home = user % 22;
    if (home < 16) {
      return "203.0.113." + (10 + home);
    }
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    return String.format(
        "2001:db8:%x:1:%x:%x:%x:%x",
        home,
        random.nextInt(0x10000),
        random.nextInt(0x10000),
        random.nextInt(0x10000),
        random.nextInt(0x10000));
  }

  /** 200 distinct numbers, each valid for libphonenumber, of a region the default policy allows. */
  private static List<String> validNumbers(Random random) {
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    Map<String, Boolean> out = new LinkedHashMap<>();
    Map<String, Integer> byRegion = new HashMap<>();
    for (Range range : RANGES) {
      int found = 0;
      while (found < range.count()) {
        StringBuilder candidate = new StringBuilder(range.start());
        for (int i = 0; i < range.digits(); i++) {
          candidate.append(random.nextInt(10));
        }
        String e164 = candidate.toString();
        try {
          PhoneNumber parsed = util.parse(e164, null);
          String region = util.getRegionCodeForNumber(parsed);
          PhoneNumberUtil.PhoneNumberType type = util.getNumberType(parsed);
          if (util.isValidNumber(parsed)
              && (type == PhoneNumberUtil.PhoneNumberType.MOBILE
                  || type == PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE)
              && ALLOWED.contains(region)
              && !e164.startsWith("+4477009")
              && out.putIfAbsent(e164, true) == null) {
            found++;
            byRegion.merge(region, 1, Integer::sum);
          }
        } catch (NumberParseException e) {
          // not a number: draw another
        }
      }
    }
    assertThat(out).hasSize(NUMBERS);
    assertThat(byRegion.keySet()).hasSizeGreaterThanOrEqualTo(6);
    List<String> numbers = new ArrayList<>(out.keySet());
    java.util.Collections.shuffle(numbers, random);
    return numbers;
  }

  private Http.Reply post(String path, String json) {
    return http.post(stack.url("challenge") + path, Http.basic(stack.apiSecret()), json);
  }

  private JsonNode audit(String path) {
    Http.Reply reply = http.get(stack.url("audit") + path, "Bearer " + stack.managementSecret());
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body();
  }

  private JsonNode policy() {
    Http.Reply reply =
        http.get(
            stack.url("rules") + "/v1/management/send-policy",
            "Bearer " + stack.managementSecret());
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
    return reply.body();
  }

  private static String mask(String phone) {
    return phone.substring(0, 3) + "…" + phone.substring(phone.length() - 4);
  }
}

package dev.signet.challenge.challenge;

import dev.signet.challenge.challenge.domain.Challenge;
import dev.signet.challenge.challenge.domain.ChallengeState;
import dev.signet.platform.outbox.OutboxEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The challenge store in memory, for fast tests: every conditional write checks and changes under
 * one lock, as MongoDB does per document, and it passes the same contract suite as the MongoDB
 * store, so it cannot drift from it.
 */
final class InMemoryChallengeStore implements ChallengeStore {

  /** A stored challenge with what only the store keeps: attempts in flight and pending events. */
  private record Entry(Challenge challenge, int reservedAttempts, List<OutboxEvent> events) {
    Entry with(Challenge next) {
      return new Entry(next, reservedAttempts, events);
    }

    Entry withEvent(Challenge next, OutboxEvent event) {
      List<OutboxEvent> more = new ArrayList<>(events);
      more.add(event);
      return new Entry(next, reservedAttempts, List.copyOf(more));
    }

    Entry reserved(int delta) {
      return new Entry(challenge, reservedAttempts + delta, events);
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** The events a challenge carries, as the outbox would find them. */
  synchronized List<OutboxEvent> events(String id) {
    Entry entry = entries.get(id);
    return entry == null ? List.of() : entry.events();
  }

  @Override
  public synchronized Mono<Challenge> find(String id) {
    return Mono.justOrEmpty(entries.get(id)).map(Entry::challenge);
  }

  @Override
  public synchronized Mono<Challenge> findByIdempotencyKey(String idempotencyKey) {
    return Mono.justOrEmpty(withKey(idempotencyKey));
  }

  private Optional<Challenge> withKey(String idempotencyKey) {
    return entries.values().stream()
        .map(Entry::challenge)
        .filter(c -> idempotencyKey.equals(c.idempotencyKey()))
        .findFirst();
  }

  @Override
  public Mono<Challenge> insert(Challenge challenge, List<OutboxEvent> events, String slot) {
    return Mono.fromCallable(
        () -> {
          synchronized (this) {
            if (slotHeld(slot)) {
              throw new SlotTaken();
            }
            if (withKey(challenge.idempotencyKey()).isPresent()
                || entries.containsKey(challenge.id())) {
              throw new DuplicateIdempotencyKey();
            }
            Challenge stored = challenge.withSendSlots(List.of(slot));
            entries.put(stored.id(), new Entry(stored, 0, List.copyOf(events)));
            return stored;
          }
        });
  }

  private boolean slotHeld(String slot) {
    return entries.values().stream().anyMatch(e -> e.challenge().sendSlots().contains(slot));
  }

  @Override
  public Mono<Challenge> resend(
      Challenge resent, int expectedSends, OutboxEvent event, String slot) {
    return Mono.fromCallable(
        () -> {
          synchronized (this) {
            Entry entry = entries.get(resent.id());
            if (entry == null
                || entry.challenge().sends() != expectedSends
                || entry.challenge().state() != ChallengeState.PENDING) {
              return null;
            }
            if (slotHeld(slot)) {
              throw new SlotTaken();
            }
            List<String> slots = new ArrayList<>(entry.challenge().sendSlots());
            slots.add(slot);
            Challenge current = entry.challenge();
            Challenge next =
                new Challenge(
                    current.id(),
                    current.recipient(),
                    resent.context(),
                    resent.codeHash(),
                    current.state(),
                    new Challenge.Counters(resent.sends(), current.failedAttempts()),
                    new Challenge.Timeline(
                        current.timeline().createdAt(),
                        resent.timeline().lastSentAt(),
                        resent.expiresAt(),
                        current.timeline().verifiedAt(),
                        current.timeline().claimedAt()),
                    current.claimedBy(),
                    slots);
            entries.put(next.id(), entry.withEvent(next, event));
            return next;
          }
        });
  }

  @Override
  public synchronized Mono<Set<String>> takenSlots(Collection<String> keys) {
    Set<String> wanted = new HashSet<>(keys);
    return Mono.just(
        entries.values().stream()
            .flatMap(e -> e.challenge().sendSlots().stream())
            .filter(wanted::contains)
            .collect(Collectors.toSet()));
  }

  @Override
  public synchronized Mono<Challenge> reserveAttempt(String id, Instant now, int maxAttempts) {
    Entry entry = entries.get(id);
    if (entry == null
        || entry.challenge().state() != ChallengeState.PENDING
        || !entry.challenge().expiresAt().isAfter(now)
        || entry.challenge().failedAttempts() >= maxAttempts
        || entry.reservedAttempts() >= maxAttempts) {
      return Mono.empty();
    }
    entries.put(id, entry.reserved(1));
    return Mono.just(entry.challenge());
  }

  @Override
  public synchronized Mono<Void> releaseAttempt(String id) {
    Entry entry = entries.get(id);
    if (entry != null && entry.reservedAttempts() > 0) {
      entries.put(id, entry.reserved(-1));
    }
    return Mono.empty();
  }

  /** Attempts in flight plus wrong codes, as the store counts them. */
  synchronized int reservedAttempts(String id) {
    return entries.get(id).reservedAttempts();
  }

  @Override
  public synchronized Mono<Challenge> markVerified(
      String id, byte[] codeHash, Instant now, OutboxEvent event) {
    Entry entry = entries.get(id);
    if (entry == null
        || entry.challenge().state() != ChallengeState.PENDING
        || !Arrays.equals(entry.challenge().codeHash(), codeHash)
        || !entry.challenge().expiresAt().isAfter(now)) {
      return Mono.empty();
    }
    return Mono.just(
        update(id, c -> moved(c, ChallengeState.VERIFIED, now, null, null), event, -1));
  }

  @Override
  public synchronized Mono<Challenge> countFailure(String id) {
    Entry entry = entries.get(id);
    if (entry == null) {
      return Mono.empty();
    }
    Challenge c = entry.challenge();
    Challenge next = c.with(new Challenge.Counters(c.sends(), c.failedAttempts() + 1));
    entries.put(id, entry.with(next));
    return Mono.just(next);
  }

  @Override
  public synchronized Mono<Void> append(String id, OutboxEvent event) {
    Entry entry = entries.get(id);
    if (entry != null) {
      entries.put(id, entry.withEvent(entry.challenge(), event));
    }
    return Mono.empty();
  }

  @Override
  public synchronized Mono<Challenge> markClaimed(
      String id, ChallengeState from, String userId, Instant now, OutboxEvent event) {
    Entry entry = entries.get(id);
    if (entry == null
        || entry.challenge().state() != from
        || !entry.challenge().expiresAt().isAfter(now)) {
      return Mono.empty();
    }
    return Mono.just(
        update(id, c -> moved(c, ChallengeState.CLAIMED, null, now, userId), event, 0));
  }

  @Override
  public synchronized Flux<Challenge> dueForExpiry(Instant now, int limit) {
    return Flux.fromIterable(
        entries.values().stream()
            .map(Entry::challenge)
            .filter(c -> c.state() == ChallengeState.PENDING && !c.expiresAt().isAfter(now))
            .limit(limit)
            .toList());
  }

  @Override
  public synchronized Mono<Challenge> markExpired(String id, Instant now, OutboxEvent event) {
    Entry entry = entries.get(id);
    if (entry == null
        || entry.challenge().state() != ChallengeState.PENDING
        || entry.challenge().expiresAt().isAfter(now)) {
      return Mono.empty();
    }
    return Mono.just(update(id, c -> moved(c, ChallengeState.EXPIRED, null, null, null), event, 0));
  }

  @Override
  public synchronized Mono<Long> purge(Instant cutoff) {
    List<String> old =
        entries.values().stream()
            .filter(
                e ->
                    e.challenge().expiresAt().isBefore(cutoff)
                        && e.challenge().state() != ChallengeState.PENDING
                        && e.events().isEmpty())
            .map(e -> e.challenge().id())
            .toList();
    old.forEach(entries::remove);
    return Mono.just((long) old.size());
  }

  /** Drops the challenge's pending events, as the outbox does once they are published. */
  synchronized void published(String id) {
    Entry entry = entries.get(id);
    entries.put(id, new Entry(entry.challenge(), entry.reservedAttempts(), List.of()));
  }

  private Challenge update(
      String id, UnaryOperator<Challenge> change, OutboxEvent event, int reservedDelta) {
    Entry entry = entries.get(id);
    Challenge next = change.apply(entry.challenge());
    entries.put(id, entry.withEvent(next, event).reserved(reservedDelta));
    return next;
  }

  private static Challenge moved(
      Challenge c, ChallengeState state, Instant verifiedAt, Instant claimedAt, String claimedBy) {
    Challenge.Timeline t = c.timeline();
    return c.with(state)
        .with(
            new Challenge.Timeline(
                t.createdAt(),
                t.lastSentAt(),
                t.expiresAt(),
                verifiedAt != null ? verifiedAt : t.verifiedAt(),
                claimedAt != null ? claimedAt : t.claimedAt()),
            claimedBy != null ? claimedBy : c.claimedBy());
  }
}

package dev.signet.challenge.challenge;

/** The in-memory store passes the store contract, so tests that use it test the real rules. */
class InMemoryChallengeStoreTest extends ChallengeStoreContract {

  private InMemoryChallengeStore memory;

  @Override
  protected ChallengeStore newStore() {
    memory = new InMemoryChallengeStore();
    return memory;
  }

  @Override
  protected void eventsPublished(String challengeId) {
    memory.published(challengeId);
  }
}

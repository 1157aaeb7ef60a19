package dev.signet.challenge.action;

/** The in-memory store passes the store contract. */
class InMemoryActionStoreTest extends ActionStoreContract {

  @Override
  ActionStore newStore() {
    return new InMemoryActionStore(CLOCK);
  }
}

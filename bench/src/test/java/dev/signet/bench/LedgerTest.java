package dev.signet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LedgerTest {

  @Test
  void aPhaseWhereEveryRequestEndsAsOneOutcomeHasNoProblems() {
    Ledger ledger = new Ledger();
    for (int i = 0; i < 4; i++) {
      ledger.scheduled();
      assertThat(ledger.tryStart(10)).isTrue();
    }
    ledger.completed(Ledger.OK);
    ledger.completed(Ledger.OK);
    ledger.completed("error:429:too_many_requests");
    ledger.completed(Ledger.TIMEOUT);

    assertThat(ledger.problems("p")).isEmpty();
    assertThat(ledger.count(Ledger.OK)).isEqualTo(2);
    assertThat(ledger.failures()).isEqualTo(2);
  }

  @Test
  void aRequestWithoutOutcomeIsReportedAsASilentDrop() {
    Ledger ledger = new Ledger();
    ledger.scheduled();
    ledger.scheduled();
    ledger.tryStart(10);
    ledger.tryStart(10);
    ledger.completed(Ledger.OK);

    assertThat(ledger.problems("challenge"))
        .anySatisfy(p -> assertThat(p).contains("1 of 2 scheduled requests have no outcome"))
        .anySatisfy(p -> assertThat(p).contains("1 requests still in flight"));
  }

  @Test
  void requestsBeyondTheConcurrencyCapAreRecordedAsNotSent() {
    Ledger ledger = new Ledger();
    ledger.scheduled();
    assertThat(ledger.tryStart(1)).isTrue();
    ledger.scheduled();
    assertThat(ledger.tryStart(1)).isFalse();
    ledger.notSent("client_concurrency_cap");
    ledger.completed(Ledger.OK);

    assertThat(ledger.outcomes()).containsEntry("not_sent:client_concurrency_cap", 1L);
    assertThat(ledger.problems("p")).isEmpty();
  }

  @Test
  void undocumentedAndUnexpectedAnswersFailTheSelfCheck() {
    Ledger ledger = new Ledger();
    ledger.scheduled();
    ledger.scheduled();
    ledger.tryStart(5);
    ledger.tryStart(5);
    ledger.completed("undocumented:500");
    ledger.completed("unexpected:isVerified=false:");

    assertThat(ledger.problems("verify")).hasSize(2);
  }

  @Test
  void statLineParsingSurvivesSpacesAndParenthesesInTheCommandName() {
    String stat =
        "4242 (java (my app)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 100"
            + " 2990644 26630 18446744073709551615";

    assertThat(ProcStats.parseStatCpuSeconds(stat)).isEqualTo(18.01);
  }

  @Test
  void latencySummaryReportsPercentilesInMilliseconds() {
    Latencies latencies = new Latencies();
    for (int i = 1; i <= 1000; i++) {
      latencies.record(i / 500, i * 1_000_000L);
    }

    assertThat(latencies.percentileMillis(50)).isBetween(499.0, 501.0);
    assertThat(latencies.percentileMillis(99)).isBetween(989.0, 991.0);
    assertThat(latencies.timeline()).hasSize(3);
  }
}

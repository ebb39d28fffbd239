package io.assetindex.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CombinerTest {
    private final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** Doubles each item; the batch holding item 0 waits for {@link #release}; item 13 fails alone. */
    private List<Combiner.Outcome<Integer>> doubled(List<Integer> items) throws InterruptedException {
        batches.add(List.copyOf(items));
        if (items.contains(0)) {
            release.await();
        }
        return items.stream().map(item -> item == 13 ? Combiner.Outcome.<Integer>failed(new IOException("unlucky"))
                : Combiner.Outcome.of(item * 2)).toList();
    }

    private List<Future<Combiner.Outcome<Integer>>> whileABatchRuns(Combiner<Integer, Integer> combiner,
            List<Integer> items) {
        callers.submit(() -> combiner.submit(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> !batches.isEmpty());
        List<Future<Combiner.Outcome<Integer>>> outcomes = new ArrayList<>();
        for (Integer item : items) {
            outcomes.add(callers.submit(() -> combiner.submit(item)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> combiner.queued() == items.size());
        release.countDown();
        return outcomes;
    }

    @Test
    void anItemAloneRunsAtOnceInABatchOfItsOwn() throws Exception {
        release.countDown();
        Combiner<Integer, Integer> combiner = new Combiner<>(this::doubled, 8);

        assertThat(combiner.submit(21).get(IOException.class)).isEqualTo(42);
        assertThat(batches).containsExactly(List.of(21));
    }

    @Test
    void itemsSubmittedWhileABatchRunsAreRunTogetherAsTheNextBatch() throws Exception {
        Combiner<Integer, Integer> combiner = new Combiner<>(this::doubled, 8);

        List<Future<Combiner.Outcome<Integer>>> outcomes = whileABatchRuns(combiner, List.of(1, 2, 3, 4, 5));

        for (int i = 0; i < outcomes.size(); i++) {
            assertThat(outcomes.get(i).get(10, TimeUnit.SECONDS).get(IOException.class)).isEqualTo(2 * (i + 1));
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }

    @Test
    void aBatchHoldsAtMostItsLimitInTheOrderItemsCame() throws Exception {
        Combiner<Integer, Integer> combiner = new Combiner<>(this::doubled, 2);
        List<Integer> items = List.of(1, 2, 3, 4, 5);

        List<Future<Combiner.Outcome<Integer>>> outcomes = whileABatchRuns(combiner, items);

        for (Future<Combiner.Outcome<Integer>> outcome : outcomes) {
            outcome.get(10, TimeUnit.SECONDS);
        }
        assertThat(batches.subList(1, batches.size())).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
        assertThat(batches.subList(1, batches.size()).stream().flatMap(List::stream).toList())
                .containsExactlyInAnyOrderElementsOf(items);
    }

    @Test
    void anItemThatFailsFailsAloneInItsBatch() throws Exception {
        Combiner<Integer, Integer> combiner = new Combiner<>(this::doubled, 8);

        List<Future<Combiner.Outcome<Integer>>> outcomes = whileABatchRuns(combiner, List.of(12, 13, 14));

        assertThat(outcomes.get(0).get(10, TimeUnit.SECONDS).value()).isEqualTo(24);
        assertThat(outcomes.get(1).get(10, TimeUnit.SECONDS).failure()).hasMessage("unlucky");
        assertThat(outcomes.get(2).get(10, TimeUnit.SECONDS).value()).isEqualTo(28);
    }

    @Test
    void aBatchThatThrowsFailsEveryItemOfItWithWhatItThrew() {
        release.countDown();
        Combiner<Integer, Integer> combiner = new Combiner<>(items -> {
            throw new IOException("the model is gone");
        }, 8);

        Combiner.Outcome<Integer> outcome = combiner.submit(1);

        assertThat(outcome.failure()).isInstanceOf(IOException.class).hasMessage("the model is gone");
        assertThat(combiner.submit(2).failure()).hasMessage("the model is gone");
    }

    @Test
    void withRoomForTwoBatchesAnItemSubmittedWhileOneRunsStartsTheSecondAtOnce() throws Exception {
        Combiner<Integer, Integer> combiner = new Combiner<>(this::doubled, 8, 2, Duration.ZERO);
        callers.submit(() -> combiner.submit(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> !batches.isEmpty());

        Future<Combiner.Outcome<Integer>> second = callers.submit(() -> combiner.submit(5));

        assertThat(second.get(10, TimeUnit.SECONDS).value()).as("done while the first batch still runs").isEqualTo(10);
        assertThat(batches).containsExactly(List.of(0), List.of(5));
        release.countDown();
    }

    @Test
    void whileItemsKeepComingABatchWaitsForMoreUntilItIsFull() throws Exception {
        release.countDown();
        Combiner<Integer, Integer> combiner = new Combiner<>(this::doubled, 3, 1, Duration.ofMinutes(10), () -> 0L);
        combiner.submit(1);

        List<Future<Combiner.Outcome<Integer>>> outcomes = new ArrayList<>();
        for (int item = 2; item <= 4; item++) {
            int submitted = item;
            outcomes.add(callers.submit(() -> combiner.submit(submitted)));
            if (item < 4) {
                await().atMost(Duration.ofSeconds(10)).until(() -> combiner.queued() == submitted - 1);
            }
        }

        for (Future<Combiner.Outcome<Integer>> outcome : outcomes) {
            outcome.get(10, TimeUnit.SECONDS);
        }
        assertThat(batches).containsExactly(List.of(1), List.of(2, 3, 4));
    }

    @Test
    void anItemAfterAQuietSpellRunsAtOnceWithoutLingering() throws Exception {
        release.countDown();
        long[] now = {0};
        Combiner<Integer, Integer> combiner = new Combiner<>(this::doubled, 3, 1, Duration.ofMinutes(10), () -> now[0]);
        combiner.submit(1);
        now[0] += Duration.ofMinutes(11).toNanos();

        Future<Combiner.Outcome<Integer>> alone = callers.submit(() -> combiner.submit(2));

        assertThat(alone.get(10, TimeUnit.SECONDS).value()).isEqualTo(4);
        assertThat(batches).containsExactly(List.of(1), List.of(2));
    }

    @Test
    void anInterruptedCallerStillGetsItsOutcomeAndKeepsItsInterrupt() throws Exception {
        Combiner<Integer, Integer> combiner = new Combiner<>(items -> {
            assertThat(Thread.currentThread().isInterrupted()).as("the batch runs uninterrupted").isFalse();
            return doubled(items);
        }, 8);
        callers.submit(() -> combiner.submit(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> !batches.isEmpty());
        Future<Boolean> interrupted = callers.submit(() -> {
            Thread.currentThread().interrupt();
            Combiner.Outcome<Integer> outcome = combiner.submit(7);
            return outcome.value() == 14 && Thread.currentThread().isInterrupted();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> combiner.queued() == 1);
        release.countDown();

        assertThat(interrupted.get(10, TimeUnit.SECONDS)).isTrue();
    }
}

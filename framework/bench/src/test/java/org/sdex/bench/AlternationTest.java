package org.sdex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two sides take turns, warm-ups are left out, and each side's median and range are its own. */
class AlternationTest {
    @Test
    void sidesTakeTurnsAfterOneWarmUpEach() throws Exception {
        List<String> calls = new ArrayList<>();
        double[] sdex = {100, 5, 3, 4, 1, 2};  // first: the warm-up
        double[] torch = {200, 10, 30, 20, 50, 40};
        int[] i = {0, 0};
        Alternation.Result r = Alternation.run(5, () -> { calls.add("s"); return sdex[i[0]++]; }, () -> { calls.add("p"); return torch[i[1]++]; });
        assertThat(String.join("", calls)).isEqualTo("spspspspspsp");
        assertThat(r.order()).hasSize(12);
        assertThat(r.order().get(0)).isEqualTo(new Alternation.Run(Alternation.Side.SDEX, 0, 100));
        assertThat(r.order().get(3)).isEqualTo(new Alternation.Run(Alternation.Side.PYTORCH, 1, 10));
        assertThat(r.sdex()).isEqualTo(new RunStats(3, 1, 5, 5));
        assertThat(r.pytorch()).isEqualTo(new RunStats(30, 10, 50, 5));
    }

    @Test
    void anEvenNumberOfRunsHasTheMeanOfTheMiddleTwoAsMedian() {
        assertThat(RunStats.of(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(new RunStats(2.5, 1, 4, 4));
    }

    @Test
    void aRowShowsRatesWithTheFastestRunAsTheLargest() {
        Alternation.Result r = new Alternation.Result(List.of(), new RunStats(500, 400, 1000, 5), new RunStats(1000, 800, 2000, 5));
        // 10 steps per run: 20 steps/s at the median, 10 at the slowest run, 25 at the fastest
        String row = new ComparisonRow("fashion", "training, steps/s", r, 2e9, 10_000).markdown(100);
        assertThat(row).isEqualTo("| fashion | training, steps/s | 20.0 (10.0–25.0) | 10.0 (5.00–12.5) | 0.50 | 2.00 | 4% | 2% |\n");
    }
}

package org.sdex.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A point's numbers as a sweep report reads them from its run folder: an evaluate block's FID and KID among them. */
class SweepReportMetricsTest {
    @Test
    void theEvaluateBlocksNumbersAndTimeAreThePointsMetrics(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve("summary.json"), """
                {"sample": {"nfe": 20, "seconds": 30.0},
                 "evaluate": {"fid": 12.5, "kid": 0.25, "kidSe": 0.01, "fidBaseline": 3.5, "n": 64, "seconds": 4.0}}
                """);
        Map<String, Double> m = SweepReport.metricsOf(run);
        assertThat(m).containsEntry("fid", 12.5).containsEntry("kid", 0.25).containsEntry("kidSe", 0.01)
                .containsEntry("fidBaseline", 3.5).containsEntry("nfe", 20.0).containsEntry("seconds", 34.0);
        assertThat(SweepReport.METRICS.indexOf("fid")).isLessThan(SweepReport.METRICS.indexOf("nfe"));
    }
}

package org.sdex.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job array lists only unfinished points; the batch script carries the settings and forwards signals. */
class SlurmExecutorTest {
    @TempDir Path dir;

    private SweepDirectory sweep(int n) {
        List<SweepPoint> points = new ArrayList<>();
        for (int i = 0; i < n; i++) points.add(new SweepPoint(i, List.of("sample.steps=" + (i + 1)), String.valueOf(i + 1)));
        return SweepDirectory.prepare(dir.resolve("s"), new SweepManifest("toy", "toy.groovy", "abc", List.of(), points), "experiment('toy') {}");
    }

    @Test
    void theArrayListsTheUnfinishedPointsWithTheLimit() throws Exception {
        SweepDirectory s = sweep(8);
        assertThat(SlurmExecutor.arraySpec(s.unfinished(), 3)).isEqualTo("0-7%3");
        for (int i : new int[] {0, 2, 5}) {
            Files.createDirectories(s.pointDir(s.point(i)));
            Files.writeString(s.pointDir(s.point(i)).resolve("summary.json"), "{}");
        }
        assertThat(SlurmExecutor.arraySpec(s.unfinished(), 0)).isEqualTo("1,3,4,6,7");
        assertThat(SlurmExecutor.arraySpec(s.unfinished().subList(3, 5), 2)).isEqualTo("6-7%2");
    }

    @Test
    void theScriptAsksForTheSettingsForwardsSignalsAndRequeuesAStoppedTask() {
        SweepDirectory s = sweep(2);
        SlurmExecutor.Settings settings = SlurmExecutor.Settings.of(Map.of("partition", "cpu", "cpus", 4, "mem", "8G", "gpus", 1),
                Map.of("cpus", "2", "time", "00:30:00"));
        String script = new SlurmExecutor(s, List.of("/opt/sdex it's", "sweep", "task", "/x"), settings, Map.of()).script();
        assertThat(script).startsWith("#!/bin/bash\n")
                .contains("#SBATCH --partition=cpu\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --time=00:30:00\n",
                        "#SBATCH --mem=8G\n", "#SBATCH --gres=gpu:1\n", "#SBATCH --signal=B:USR1@120\n", "#SBATCH --requeue\n")
                .contains("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"")
                .contains("cmd=('/opt/sdex it'\\''s' 'sweep' 'task' '/x' --index \"$SLURM_ARRAY_TASK_ID\" --no-progress)")
                .contains("trap 'kill -USR1 \"$child\" 2>/dev/null' USR1", "trap 'kill -TERM \"$child\" 2>/dev/null' TERM")
                .contains("if [ \"$status\" -eq 75 ]; then", "scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"");
        assertThat(script).doesNotContain("--account");
    }
}

package org.sdex.core.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.sdex.core.checkpoint.Checkpoint;
import org.sdex.core.checkpoint.CheckpointStore;
import org.sdex.core.error.SdexException;
import org.sdex.core.interop.NetworkWeights;
import org.sdex.core.interop.ReferenceWeights;
import org.sdex.core.interop.Safetensors;
import org.sdex.core.interop.TorchFile;

/**
 * Where a network's weights come from when they are not trained from scratch ({@code model ...,
 * init: FILE}): an sdex run directory (its newest valid checkpoint), an sdex checkpoint file, a
 * PyTorch file (a score_sde_pytorch checkpoint or a state dict) or a safetensors file; and which of
 * a training checkpoint's weights, the EMA (what the reference samples with) or the raw ones.
 */
public record InitialWeights(Path source, ReferenceWeights.Choice choice) {
    /** The kinds of source, told apart by what the path is. */
    public enum Kind { RUN_DIRECTORY, SDEX_CHECKPOINT, PYTORCH, SAFETENSORS }

    public Kind kind() {
        if (Files.isDirectory(source)) return Kind.RUN_DIRECTORY;
        String n = source.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".sdex")) return Kind.SDEX_CHECKPOINT;
        if (n.endsWith(".safetensors")) return Kind.SAFETENSORS;
        if (n.endsWith(".pth") || n.endsWith(".pt") || n.endsWith(".ckpt") || n.endsWith(".bin")) return Kind.PYTORCH;
        throw new SdexException("init '" + source + "': not a run directory, an .sdex checkpoint, a PyTorch file (.pth, .pt, .ckpt, .bin)"
                + " or a .safetensors file");
    }

    /**
     * Reads and verifies the source without building a network (before anything is written): the
     * file parses, its checksums or offsets hold, and nothing in it would run.
     */
    public void check() {
        if (!Files.exists(source)) throw new SdexException("init '" + source + "': no such file or directory");
        switch (kind()) {
            case RUN_DIRECTORY -> checkpoint();
            case SDEX_CHECKPOINT -> CheckpointStore.load(source);
            case PYTORCH -> TorchFile.read(source);
            case SAFETENSORS -> Safetensors.read(source);
        }
    }

    /** Sets every weight of {@code net} from the source; the first weight that does not fit is named. */
    public void loadInto(ScoreNetwork net) {
        switch (kind()) {
            case RUN_DIRECTORY, SDEX_CHECKPOINT -> {
                Checkpoint c = checkpoint();
                if (choice == ReferenceWeights.Choice.EMA) c.loadEmaInto(net);
                else c.loadWeightsInto(net);
            }
            case PYTORCH, SAFETENSORS -> NetworkWeights.load(net, source, choice);
        }
    }

    /** The checkpoint of an sdex source: the file itself, or a run directory's newest valid one. */
    private Checkpoint checkpoint() {
        if (kind() == Kind.SDEX_CHECKPOINT) return CheckpointStore.load(source);
        Path dir = source.resolve("checkpoints");
        if (!Files.isDirectory(dir)) throw new SdexException("init '" + source + "': a folder without checkpoints/, not an sdex run directory");
        return new CheckpointStore(dir, Integer.MAX_VALUE).latestValid()
                .orElseThrow(() -> new SdexException("init '" + source + "': no valid checkpoint in " + dir));
    }

    /** For logs and summaries: "runs/x (EMA weights)". */
    public String describe() {
        return source + " (" + (choice == ReferenceWeights.Choice.EMA ? "EMA" : "raw") + " weights)";
    }
}

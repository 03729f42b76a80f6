package org.sdex.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.error.SdexException;
import org.sdex.core.train.ScoreNetwork;
import org.sdex.core.train.TrainingState;
import org.sdex.spi.random.Rng;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verified checkpoint file: its metadata and the four groups of arrays (weights, their EMA,
 * Adam's first and second moments), each keyed by weight name. Obtained from
 * {@link CheckpointStore#load(Path)} or {@link CheckpointStore#latestValid()}.
 */
public final class Checkpoint {
    private static final Logger log = LoggerFactory.getLogger(Checkpoint.class);
    static final String WEIGHTS = "weights";
    static final String EMA = "ema";
    static final String ADAM_M = "adam_m";
    static final String ADAM_V = "adam_v";
    static final List<String> GROUPS = List.of(WEIGHTS, EMA, ADAM_M, ADAM_V);

    private final Path file;
    private final JsonNode meta;
    private final Map<String, Map<String, INDArray>> groups;

    Checkpoint(Path file, JsonNode meta, Map<String, Map<String, INDArray>> groups) {
        this.file = file;
        this.meta = meta;
        this.groups = groups;
    }

    static Checkpoint of(Path file, CheckpointFormat.Content c) throws CorruptCheckpointException {
        Map<String, Map<String, INDArray>> groups = new LinkedHashMap<>();
        for (String g : GROUPS) groups.put(g, new LinkedHashMap<>());
        for (Map.Entry<String, INDArray> e : c.arrays().entrySet()) {
            int slash = e.getKey().indexOf('/');
            Map<String, INDArray> g = slash < 0 ? null : groups.get(e.getKey().substring(0, slash));
            if (g == null) throw CheckpointFormat.corrupt(file, "unknown array '" + e.getKey() + "'");
            g.put(e.getKey().substring(slash + 1), e.getValue());
        }
        for (String key : List.of("step", "rng", "adamSteps", "emaUpdates")) {
            if (!c.meta().has(key)) throw CheckpointFormat.corrupt(file, "metadata lacks '" + key + "'");
        }
        return new Checkpoint(file, c.meta(), groups);
    }

    public Path file() { return file; }

    /** Training steps completed when it was written. */
    public int step() { return meta.get("step").asInt(); }

    /** The training generator's state ({@link Rng#state()}). */
    public long[] rngState() { return new long[] {meta.get("rng").get(0).asLong(), meta.get("rng").get(1).asLong()}; }

    public long adamSteps() { return meta.get("adamSteps").asLong(); }

    public long emaUpdates() { return meta.get("emaUpdates").asLong(); }

    /** The JSON metadata block (step, rng, settings and their digest, weight shapes, ...). */
    public JsonNode metadata() { return meta; }

    public Map<String, INDArray> weights() { return group(WEIGHTS); }

    public Map<String, INDArray> emaWeights() { return group(EMA); }

    public Map<String, INDArray> adamFirstMoments() { return group(ADAM_M); }

    public Map<String, INDArray> adamSecondMoments() { return group(ADAM_V); }

    private Map<String, INDArray> group(String g) { return Collections.unmodifiableMap(groups.get(g)); }

    /**
     * Throws a one-line {@link SdexException} naming this file unless every group has exactly the
     * network's weights with the network's shapes (a different architecture, most likely).
     */
    public void checkFits(ScoreNetwork net) {
        Map<String, INDArray> live = net.weights();
        for (String g : GROUPS) {
            Map<String, INDArray> saved = groups.get(g);
            if (!saved.keySet().equals(live.keySet())) {
                List<String> missing = live.keySet().stream().filter(k -> !saved.containsKey(k)).toList();
                List<String> extra = saved.keySet().stream().filter(k -> !live.containsKey(k)).toList();
                throw new SdexException("checkpoint " + file + " does not fit this model (a different architecture?): "
                        + (missing.isEmpty() ? "" : "the model's " + names(missing) + " missing from it")
                        + (missing.isEmpty() || extra.isEmpty() ? "" : ", ")
                        + (extra.isEmpty() ? "" : "it has " + names(extra) + " the model lacks"));
            }
            for (Map.Entry<String, INDArray> e : live.entrySet()) {
                long[] want = e.getValue().shape();
                long[] have = saved.get(e.getKey()).shape();
                if (!Arrays.equals(want, have)) {
                    throw new SdexException("checkpoint " + file + " does not fit this model (a different architecture?): "
                            + g + " '" + e.getKey() + "' has shape " + Arrays.toString(have)
                            + " in the file, " + Arrays.toString(want) + " in the model");
                }
            }
        }
    }

    private static String names(List<String> n) {
        return n.size() <= 3 ? "weights " + n : n.size() + " weights " + n.subList(0, 3) + "...";
    }

    /** Loads the trained (not averaged) weights into the network. */
    public void loadWeightsInto(ScoreNetwork net) {
        checkFits(net);
        net.loadWeights(weights());
    }

    /** Loads the EMA weights into the network, the ones to sample with. */
    public void loadEmaInto(ScoreNetwork net) {
        checkFits(net);
        net.loadWeights(emaWeights());
    }

    /**
     * Restores weights, EMA, Adam and the step and random stream, so that training continues
     * exactly as if it had not stopped. Warns when the training settings differ from those the
     * checkpoint was written with (other than the number of steps and the bookkeeping intervals).
     */
    public void restoreInto(ScoreNetwork net, TrainingState state) {
        checkFits(net);
        if (state.settings() != null && meta.has("settingsDigest")
                && !meta.get("settingsDigest").asText().equals(CheckpointStore.digest(state.settings()))) {
            // the digest also differs when only settings newer than the checkpoint were added, at their defaults
            String diff = CheckpointStore.settingsDiff(meta.get("settings"), state.settings(), net.classes() > 0);
            if (diff != null) {
                log.warn("checkpoint {} was written with different training settings ({}); continuing with the new ones",
                        file.getFileName(), diff);
            }
        }
        net.loadWeights(weights());
        state.ema().restore(emaUpdates(), emaWeights());
        state.adam().restore(adamSteps(), adamFirstMoments(), adamSecondMoments());
        state.resumeAt(step(), Rng.fromState(rngState()));
    }
}

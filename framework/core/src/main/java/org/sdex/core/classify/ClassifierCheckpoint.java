package org.sdex.core.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.checkpoint.Checkpoint;
import org.sdex.core.checkpoint.CheckpointStore;
import org.sdex.core.error.SdexException;
import org.sdex.spi.data.PixelRange;
import org.sdex.spi.sde.Sde;

/**
 * A classifier's checkpoint: an ordinary sdex checkpoint (weights, EMA, Adam's moments, step and
 * random stream; written atomically and verified on loading by {@link CheckpointStore}) whose
 * metadata also describe the classifier: {@code kind: classifier}, its architecture, the data set
 * (and pixel range) and SDE it was trained with, and its settings. That is all it takes to rebuild
 * the network from the file alone.
 */
public final class ClassifierCheckpoint {
    static final String KIND = "classifier";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Checkpoint checkpoint;
    private final ClassifierArchitecture architecture;

    private ClassifierCheckpoint(Checkpoint checkpoint, ClassifierArchitecture architecture) {
        this.checkpoint = checkpoint;
        this.architecture = architecture;
    }

    /** The metadata a classifier's checkpoint carries beside the step and random stream. */
    static ObjectNode metadata(ClassifierNetwork net, ClassifierSettings settings, PluginChoice data, PluginChoice sde,
                               PixelRange pixels) {
        ObjectNode m = JSON.createObjectNode();
        m.put("kind", KIND);
        m.set("architecture", net.architecture().toJson());
        m.put("dataType", net.dataType().name());
        m.put("parameters", net.parameterCount());
        m.set("data", JSON.valueToTree(data));
        m.set("sde", sde == null ? null : JSON.valueToTree(sde));
        m.put("pixels", pixels == null ? null : pixels.name());
        m.set("settings", JSON.valueToTree(settings));
        m.put("written", Instant.now().toString());
        return m;
    }

    /**
     * The classifier checkpoint {@code path}: a checkpoint file, or a classifier's output folder (its
     * newest valid checkpoint). Damaged files and checkpoints of other networks are refused in one line.
     */
    public static ClassifierCheckpoint load(Path path) {
        Checkpoint c;
        if (Files.isDirectory(path)) {
            Path dir = Files.isDirectory(path.resolve("checkpoints")) ? path.resolve("checkpoints") : path;
            c = new CheckpointStore(dir, 1).latestValid()
                    .orElseThrow(() -> new SdexException("no classifier checkpoint in " + path));
        } else if (Files.isRegularFile(path)) {
            c = CheckpointStore.load(path);
        } else {
            throw new SdexException("no classifier checkpoint '" + path + "' (neither a file nor a folder)");
        }
        return of(c);
    }

    /** A verified checkpoint read as a classifier's, or a one-line error when it is another network's. */
    static ClassifierCheckpoint of(Checkpoint c) {
        JsonNode meta = c.metadata();
        if (!KIND.equals(meta.path("kind").asText())) {
            throw new SdexException(c.file() + " is not a classifier checkpoint (a score network's?)");
        }
        return new ClassifierCheckpoint(c, ClassifierArchitecture.fromJson(meta.get("architecture")));
    }

    public Path file() { return checkpoint.file(); }

    public int step() { return checkpoint.step(); }

    public ClassifierArchitecture architecture() { return architecture; }

    /** The verified checkpoint itself (Adam's moments, the random stream: what resuming needs). */
    Checkpoint checkpoint() { return checkpoint; }

    public DataType dataType() { return DataType.valueOf(checkpoint.metadata().get("dataType").asText()); }

    /** The data set the classifier was trained on, with its parameters. */
    public PluginChoice data() { return choice(checkpoint.metadata().get("data")); }

    /** The SDE of a noise-conditional classifier; null for a clean one. */
    public PluginChoice sde() {
        JsonNode s = checkpoint.metadata().get("sde");
        return s == null || s.isNull() ? null : choice(s);
    }

    /** The pixel range of the images it was trained on; null when the data were not 8-bit images. */
    public PixelRange pixels() {
        JsonNode p = checkpoint.metadata().get("pixels");
        return p == null || p.isNull() ? null : PixelRange.valueOf(p.asText());
    }

    /** The settings it was trained with, as written. */
    public JsonNode settings() { return checkpoint.metadata().get("settings"); }

    private static PluginChoice choice(JsonNode n) {
        @SuppressWarnings("unchecked")
        Map<String, Object> params = JSON.convertValue(n.get("params"), LinkedHashMap.class);
        return new PluginChoice(n.get("name").asText(), params);
    }

    /**
     * The network with the checkpoint's averaged (EMA) weights, the ones evaluated and used;
     * {@code sdes} opens the SDE of a noise-conditional one.
     */
    public ClassifierNetwork network(Function<PluginChoice, Sde> sdes) {
        PluginChoice s = sde();
        ClassifierNetwork net = new ClassifierNetwork(architecture, s == null ? null : sdes.apply(s), dataType(), 0);
        load(net, checkpoint.emaWeights());
        return net;
    }

    /** Loads {@code weights} into the network, or a one-line error naming the file when they do not fit. */
    void load(ClassifierNetwork net, Map<String, INDArray> weights) {
        try {
            net.loadWeights(weights);
        } catch (IllegalArgumentException e) {
            throw new SdexException("checkpoint " + checkpoint.file() + " does not fit the classifier: " + e.getMessage());
        }
    }
}

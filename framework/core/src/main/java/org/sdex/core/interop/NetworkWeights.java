package org.sdex.core.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.core.train.ScoreNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a {@link ScoreNetwork}'s weights to and from other implementations' files, by the reference
 * implementation's names and layouts (convolution weights [out, in, kh, kw] as PyTorch has them).
 */
public final class NetworkWeights {
    private static final Logger log = LoggerFactory.getLogger(NetworkWeights.class);

    private NetworkWeights() {}

    /**
     * Sets every weight of {@code net} from {@code file} (see {@link ReferenceWeights#read}). Every
     * weight must be there with its shape; the first that is not is named. Tensors the network has no
     * weight for (buffers such as the reference's {@code sigmas}) are listed in the log.
     */
    public static void load(ScoreNetwork net, Path file, ReferenceWeights.Choice choice) {
        String name = file.getFileName().toString();
        Map<String, HostTensor> tensors = ReferenceWeights.read(file, choice, net.weightNames());
        for (String w : net.weightNames()) {
            HostTensor t = tensors.get(w);
            if (t == null) {
                throw new WeightFileException(name + ": has no tensor for the model's weight '" + w + "' ("
                        + tensors.size() + " tensors in the file); the file does not fit this model block");
            }
            if (!Arrays.equals(t.shape(), net.referenceShape(w))) {
                throw new WeightFileException(name + ": weight '" + w + "' has shape " + Arrays.toString(t.shape())
                        + " in the file, " + Arrays.toString(net.referenceShape(w)) + " in the model");
            }
            if (!t.dtype().floating()) throw new WeightFileException(name + ": weight '" + w + "' is of type " + t.dtype() + ", not floating point");
        }
        for (String w : net.weightNames()) {
            HostTensor t = tensors.get(w);
            INDArray a = Nd4j.createFromArray(t.toFloats()).reshape('c', t.shape());
            net.loadReferenceWeight(w, a); // assign converts to the network's type
            a.close();
        }
        List<String> unused = new ArrayList<>(tensors.keySet());
        unused.removeAll(net.weightNames());
        if (!unused.isEmpty()) log.info("{}: {} tensors without a weight of this model, not used: {}", name, unused.size(), unused);
    }

    /** The network's weights in the reference layout as float32 host tensors, by name. */
    public static Map<String, HostTensor> export(ScoreNetwork net) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String w : net.weightNames()) {
            INDArray a = net.referenceWeight(w); // a C-order copy
            INDArray flat = a.reshape('c', new long[] {a.length()});
            out.put(w, HostTensor.ofFloats(flat.dataType() == DataType.FLOAT ? flat.toFloatVector() : flat.castTo(DataType.FLOAT).toFloatVector(), a.shape()));
            a.close();
        }
        return out;
    }

    /** Writes the network's weights as a state dict PyTorch loads ({@code .pth}/{@code .pt}) or as safetensors. */
    public static void save(ScoreNetwork net, Path file) throws IOException {
        Map<String, HostTensor> w = export(net);
        if (file.getFileName().toString().endsWith(".safetensors")) Safetensors.write(file, w, Map.of("format", "pt", "producer", "sdex"));
        else TorchFile.write(file, w);
    }
}

package org.sdex.plugins.models.ncsnpp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.Params;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.PixelRange;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;

/** Test support: creating networks through their plugins, building graphs, reading weights. */
final class Nets {
    static final NcsnppPlugin NCSNPP = new NcsnppPlugin();
    static final DdpmppPlugin DDPMPP = new DdpmppPlugin();

    private Nets() {}

    /** A dataset that only has a shape and, for images, a pixel range. */
    record Shaped(long[] shape, Optional<PixelRange> pixelRange) implements Dataset {
        @Override public INDArray sample(int n, Rng rng) { throw new UnsupportedOperationException(); }

        @Override public Optional<PixelRange> pixels() { return pixelRange; }
    }

    static Ncsnpp create(ModelPlugin plugin, Sde sde, long[] shape, long seed, Map<String, ?> params) {
        return create(plugin, sde, new Shaped(shape, Optional.of(PixelRange.CENTERED)), seed, params);
    }

    static Ncsnpp create(ModelPlugin plugin, Sde sde, Dataset data, long seed, Map<String, ?> params) {
        return (Ncsnpp) plugin.create(Params.of(plugin, params),
                new ModelContext(sde, data, data.shape(), DataType.FLOAT, new Rng(seed)));
    }

    /** The small test architecture (nf 16, two levels, one block, attention at 8) with extra settings. */
    static Map<String, Object> small(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("nf", 16);
        m.put("chMult", List.of(1, 2));
        m.put("numResBlocks", 1);
        m.put("attnResolutions", List.of(8));
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** A built graph: placeholders "x" and "label", the output, the weight names (sorted), the model. */
    record Graph(SameDiff sd, SDVariable out, List<String> weights, Ncsnpp model) {
        INDArray output(INDArray x, INDArray labels) {
            return sd.output(Map.of("x", x, "label", labels), out.name()).get(out.name());
        }

        long parameterCount() {
            long n = 0;
            for (String w : weights) n += sd.getVariable(w).getArr().length();
            return n;
        }

        /** The live weight in the reference's layout (a view of the stored array; see {@link Ncsnpp#storedAxes}). */
        INDArray weight(String name) {
            INDArray a = stored(name);
            int[] axes = model.storedAxes(name);
            if (axes == null) return a;
            int[] back = new int[axes.length];
            for (int i = 0; i < axes.length; i++) back[axes[i]] = i;
            return a.permute(back);
        }

        /** The live weight as the graph stores it. */
        INDArray stored(String name) { return sd.getVariable(name).getArr(); }

        /**
         * SHA-256 of the sorted lines "name dim1xdim2..." of the weights: the same text the
         * reference's {@code named_parameters()} (trainable ones) gives.
         */
        String digest() {
            List<String> lines = new ArrayList<>();
            for (String w : weights) {
                long[] s = weight(w).shape();
                StringBuilder b = new StringBuilder(w).append(' ');
                for (int i = 0; i < s.length; i++) b.append(i == 0 ? "" : "x").append(s[i]);
                lines.add(b.toString());
            }
            Collections.sort(lines);
            try {
                byte[] h = MessageDigest.getInstance("SHA-256").digest((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(h);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Builds the network on placeholders x [batch, shape...] and label [batch] (batch -1: dynamic). */
    static Graph build(Ncsnpp model, long batch, boolean training) {
        NcsnppConfig c = model.config();
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, batch, c.channels(), c.height(), c.width());
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, batch);
        SDVariable out = model.define(sd, x, label, null, training);
        List<String> names = new ArrayList<>();
        for (SDVariable v : sd.variables()) if (v.getVariableType() == VariableType.VARIABLE) names.add(v.name());
        Collections.sort(names);
        return new Graph(sd, out, names, model);
    }

    static Graph build(Ncsnpp model) { return build(model, -1, false); }

    /** sin(0.05 j) over the flat index j, shaped [shape...]. */
    static INDArray wave(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[Math.toIntExact(n)];
        for (int j = 0; j < v.length; j++) v[j] = Math.sin(0.05 * j);
        return Nd4j.create(v, shape, DataType.FLOAT);
    }
}

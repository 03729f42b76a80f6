package org.sdex.plugins.models.mlp;

import java.util.List;
import org.sdex.plugins.models.LabelEmbedding;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.model.Model;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.sde.NoiseLabel;

/** {@code mlp}: a noise-conditional multilayer perceptron (SameDiff) for vector data. */
public final class MlpPlugin implements ModelPlugin {
    @Override public String name() { return "mlp"; }

    @Override public String description() { return "MLP with swish activations and a noise-level embedding, for low-dimensional data"; }

    @Override
    public List<Param> parameters() {
        return List.of(
                Param.ints("hidden", List.of(256, 256, 256), "widths of the hidden layers").min(1),
                Param.choice("embedding", "auto", "noise-level embedding: positional (of 999 t, DDPM), "
                        + "fourier (of log sigma, NCSN++), or auto (by the SDE's noise label)", "auto", "positional", "fourier"),
                Param.integer("embeddingDim", 128, "size of the noise-level embedding (even)").min(2),
                Param.real("fourierScale", 16.0, "scale of the random Fourier frequencies").positive(),
                Param.real("initScale", 0.0, "scale of the output layer's initial weights (0: zero, as the reference)").min(0),
                Param.bool("skip", true, "add a noise-level-gated linear path from input to output: g(t) x + b(t)"
                        + " (the form of the best Gaussian denoiser, so the hidden layers learn only the rest)"),
                Param.integer("inputFeatures", 0, "random Fourier features of the input (sin and cos of this many"
                        + " random projections) fed to the first layer beside the raw input; 0 = none").min(0),
                Param.real("inputScale", 1.0, "standard deviation of the input features' frequencies (cycles per unit)").positive(),
                LabelEmbedding.CLASSES);
    }

    @Override
    public Model create(Params p, ModelContext ctx) {
        int[] hidden = p.ints("hidden");
        if (hidden.length == 0) throw new ParamException("hidden", "model 'mlp' needs at least one hidden layer in 'hidden'");
        int dim = p.integer("embeddingDim");
        if (dim % 2 != 0) throw new ParamException("embeddingDim", "model 'mlp' needs an even embeddingDim (sin and cos halves), got " + dim);
        String e = p.string("embedding");
        boolean fourier = e.equals("fourier") || (e.equals("auto") && ctx.sde().noiseLabel() == NoiseLabel.SIGMA);
        return new Mlp(ctx.dataShape(), hidden, fourier, dim, p.real("fourierScale"), p.real("initScale"), p.bool("skip"),
                p.integer("inputFeatures"), p.real("inputScale"), p.integer("classes"), ctx.rng().state());
    }
}

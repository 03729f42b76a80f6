package org.sdex.plugins.models.ncsnpp;

import java.util.Arrays;
import java.util.List;
import org.sdex.plugins.models.LabelEmbedding;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.data.PixelRange;
import org.sdex.spi.model.Model;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.sde.NoiseLabel;

/**
 * The two names of the reference's NCSNpp class: {@code ncsnpp} and {@code ddpmpp} take the same
 * parameters (the reference's {@code config.model} fields in camelCase) and differ only in their
 * defaults, which are the CIFAR-10 continuous configs of the paper (configs/ve/cifar10_ncsnpp_continuous.py
 * and configs/vp/cifar10_ddpmpp_continuous.py). The deep variants set {@code numResBlocks 8}.
 */
abstract class NcsnppFamilyPlugin implements ModelPlugin {
    /** Defaults that differ between NCSN++ and DDPM++. */
    record Defaults(boolean fir, String progressiveInput) {}

    private final Defaults defaults;

    NcsnppFamilyPlugin(Defaults defaults) { this.defaults = defaults; }

    @Override
    public List<Param> parameters() {
        return List.of(
                Param.integer("nf", 128, "base number of channels").min(1),
                Param.ints("chMult", List.of(1, 2, 2, 2), "channel multiplier of each resolution level (its length is the number of levels)").min(1),
                Param.integer("numResBlocks", 4, "residual blocks per level (8 in the deep variants)").min(0),
                Param.ints("attnResolutions", List.of(16), "resolutions (image widths) with self-attention").min(1),
                Param.real("dropout", 0.1, "dropout probability in the residual blocks (training graphs only)").min(0).max(0.99),
                Param.bool("resampWithConv", true, "learned conv in the Upsample/Downsample layers of ddpm-type blocks"),
                Param.bool("skipRescale", true, "divide residual sums by sqrt(2)"),
                Param.choice("resblockType", "biggan", "residual blocks: biggan (they also resample) or ddpm", "biggan", "ddpm"),
                Param.bool("fir", defaults.fir(), "FIR up/down-sampling (StyleGAN2 upfirdn) instead of nearest/average pooling"),
                Param.reals("firKernel", List.of(1.0, 3.0, 3.0, 1.0), "separable FIR kernel"),
                Param.choice("progressive", "none", "output pyramid", "none", "output_skip", "residual"),
                Param.choice("progressiveInput", defaults.progressiveInput(), "input pyramid", "none", "input_skip", "residual"),
                Param.choice("progressiveCombine", "sum", "how input_skip joins the pyramid to the features", "sum", "cat"),
                Param.choice("embeddingType", "auto", "noise-level embedding: fourier (of log sigma, NCSN++/VE), positional "
                        + "(of 999 t, DDPM++/VP), or auto (by the SDE's noise label)", "auto", "fourier", "positional"),
                Param.real("fourierScale", 16.0, "scale of the Gaussian Fourier frequencies").positive(),
                Param.bool("conditional", true, "condition the residual blocks on the noise level"),
                Param.real("initScale", 0.0, "init scale of the last conv of each residual branch, attention output and "
                        + "output conv (0: 1e-10, as the reference)").min(0),
                Param.choice("centered", "auto", "data in [-1, 1] (true) or [0, 1] (false, mapped to [-1, 1] by the network); "
                        + "auto: from the dataset's pixel range (continuous data count as centred)", "auto", "true", "false"),
                LabelEmbedding.CLASSES);
    }

    @Override
    public Model create(Params p, ModelContext ctx) {
        long[] shape = ctx.dataShape();
        if (shape.length != 3) {
            throw new ParamException(null, "model '" + name() + "' needs image data of shape [C, H, W], got "
                    + Arrays.toString(shape));
        }
        String e = p.string("embeddingType");
        boolean fourier = e.equals("fourier") || (e.equals("auto") && ctx.sde().noiseLabel() == NoiseLabel.SIGMA);
        String c = p.string("centered");
        boolean centered = c.equals("auto")
                ? ctx.dataset() == null || ctx.dataset().pixels().map(r -> r == PixelRange.CENTERED).orElse(true)
                : Boolean.parseBoolean(c);
        NcsnppConfig cfg = new NcsnppConfig(Math.toIntExact(shape[0]), Math.toIntExact(shape[1]), Math.toIntExact(shape[2]),
                p.integer("nf"), p.ints("chMult"), p.integer("numResBlocks"), p.ints("attnResolutions"), p.real("dropout"),
                p.bool("resampWithConv"), p.bool("skipRescale"), p.string("resblockType").equals("biggan"), p.bool("fir"),
                p.reals("firKernel"), p.string("progressive"), p.string("progressiveInput"),
                p.string("progressiveCombine").equals("cat"), fourier, p.real("fourierScale"), p.bool("conditional"),
                p.real("initScale"), centered);
        if (cfg.chMult().length == 0) throw new ParamException("chMult", "model '" + name() + "' needs at least one level in chMult");
        String problem = cfg.problem();
        if (problem != null) {
            String param = problem.startsWith("firKernel") ? "firKernel" : problem.startsWith("GroupNorm") ? "nf" : "chMult";
            throw new ParamException(param, "model '" + name() + "': " + problem);
        }
        int classes = p.integer("classes");
        if (classes > 0 && !cfg.conditional()) {
            throw new ParamException("classes", "model '" + name() + "' adds the class embedding to the noise-level embedding,"
                    + " which conditional false leaves out; set conditional true or classes 0");
        }
        return new Ncsnpp(cfg, classes, ctx.rng().state());
    }
}

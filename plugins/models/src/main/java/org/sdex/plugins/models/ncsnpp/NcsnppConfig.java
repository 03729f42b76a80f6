package org.sdex.plugins.models.ncsnpp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The architecture of one NCSN++ / DDPM++ network: the reference's {@code config.model} fields
 * (yang-song/score_sde_pytorch, models/ncsnpp.py) with the data's channels and image size, all
 * resolved (no "auto" left). Normalisation is always GroupNorm with {@code min(C/4, 32)} groups and
 * eps 1e-6, the nonlinearity always swish and attention the DDPM-style self-attention, as in every
 * NCSN++/DDPM++ config of the reference.
 *
 * @param channels           image channels (the reference's {@code data.num_channels})
 * @param height             image height
 * @param width              image width ({@code attnResolutions} are compared with the width, as the reference's forward)
 * @param nf                 base channel count
 * @param chMult             channel multiplier per resolution level
 * @param numResBlocks       residual blocks per level on the way down (one more on the way up)
 * @param attnResolutions    resolutions (widths) at which self-attention follows the residual blocks
 * @param dropout            dropout probability inside residual blocks (training graphs only)
 * @param resampWithConv     learned convolution in the ddpm-type Upsample/Downsample layers
 * @param skipRescale        divide residual sums by sqrt(2)
 * @param biggan             BigGAN-type residual blocks (which also resample); else DDPM-type blocks plus Upsample/Downsample layers
 * @param fir                FIR (upfirdn) resampling instead of nearest-neighbour / average pooling
 * @param firKernel          the separable FIR kernel, e.g. [1, 3, 3, 1]
 * @param progressive        output pyramid: none, output_skip or residual
 * @param progressiveInput   input pyramid: none, input_skip or residual
 * @param combineCat         the input_skip combiner concatenates (else sums)
 * @param fourier            Gaussian Fourier features of log(label) (else sinusoidal features of the label)
 * @param fourierScale       scale of the Fourier frequencies
 * @param conditional        condition the residual blocks on the noise level
 * @param initScale          scale of the initialisation of the layers that close a residual branch and of the output conv (0 means 1e-10, as the reference)
 * @param centered           data already in [-1, 1]; when false the network maps [0, 1] input to [-1, 1] first
 */
record NcsnppConfig(int channels, int height, int width, int nf, int[] chMult, int numResBlocks, int[] attnResolutions,
                    double dropout, boolean resampWithConv, boolean skipRescale, boolean biggan, boolean fir,
                    double[] firKernel, String progressive, String progressiveInput, boolean combineCat,
                    boolean fourier, double fourierScale, boolean conditional, double initScale, boolean centered) {

    NcsnppConfig {
        chMult = chMult.clone();
        attnResolutions = attnResolutions.clone();
        firKernel = firKernel.clone();
    }

    int levels() { return chMult.length; }

    /** The width at level i (the reference's {@code all_resolutions}). */
    int resolution(int level) { return width >> level; }

    boolean attentionAt(int level) {
        int r = resolution(level);
        for (int a : attnResolutions) if (a == r) return true;
        return false;
    }

    /** The reference's GroupNorm group count for C channels. */
    static int groups(long c) { return (int) Math.min(c / 4, 32); }

    /**
     * Checks what the reference would reject only when building or running the network: image
     * sizes the levels cannot halve, and channel counts GroupNorm cannot split into
     * {@code min(C/4, 32)} equal groups. Returns a message, or null when the architecture is sound.
     */
    String problem() {
        int halvings = levels() - 1;
        if (height % (1 << halvings) != 0 || width % (1 << halvings) != 0) {
            return "an image of " + height + "x" + width + " cannot be halved " + halvings + " times (chMult has "
                    + levels() + " levels)";
        }
        if (firKernel.length < 2) return "firKernel needs at least 2 taps, got " + Arrays.toString(firKernel);
        double sum = 0;
        for (double k : firKernel) sum += k;
        if (sum == 0) return "firKernel must not sum to zero";
        for (long c : groupNormChannels()) {
            int g = groups(c);
            if (g < 1 || c % g != 0) {
                return "GroupNorm cannot split " + c + " channels into min(C/4, 32) = " + g
                        + " equal groups; choose nf and chMult so that every channel count is a multiple of 4 (of 32 above 128)";
            }
        }
        return null;
    }

    /** The channel count of every GroupNorm in the network, by the reference's channel bookkeeping. */
    List<Long> groupNormChannels() {
        List<Long> out = new ArrayList<>();
        List<Long> hs = new ArrayList<>();
        long in = nf;
        hs.add(in);
        for (int level = 0; level < levels(); level++) {
            for (int b = 0; b < numResBlocks; b++) {
                long o = (long) nf * chMult[level];
                out.add(in);
                out.add(o);
                in = o;
                if (attentionAt(level)) out.add(in);
                hs.add(in);
            }
            if (level != levels() - 1) {
                if (biggan) {
                    out.add(in);
                    out.add(in);
                }
                if (progressiveInput.equals("input_skip") && combineCat) in *= 2;
                hs.add(in);
            }
        }
        in = hs.get(hs.size() - 1);
        out.add(in);
        out.add(in);
        out.add(in);
        out.add(in);
        out.add(in);
        for (int level = levels() - 1; level >= 0; level--) {
            for (int b = 0; b < numResBlocks + 1; b++) {
                long o = (long) nf * chMult[level];
                out.add(in + hs.remove(hs.size() - 1));
                out.add(o);
                in = o;
            }
            if (attentionAt(level)) out.add(in);
            if (!progressive.equals("none") && (level == levels() - 1 || progressive.equals("output_skip"))) out.add(in);
            if (level != 0 && biggan) {
                out.add(in);
                out.add(in);
            }
        }
        if (!progressive.equals("output_skip")) out.add(in);
        return out;
    }
}

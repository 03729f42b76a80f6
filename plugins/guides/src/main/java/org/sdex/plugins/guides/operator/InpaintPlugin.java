package org.sdex.plugins.guides.operator;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.operator.Operator;
import org.sdex.spi.operator.OperatorContext;
import org.sdex.spi.operator.OperatorPlugin;
import org.sdex.spi.random.Rng;

/** {@code inpaint}: observe some pixels and lose the others, box, random, half or file masks (score_sde's inpainting, Song et al. 2021, Sec. 5). */
public final class InpaintPlugin implements OperatorPlugin {
    @Override public String name() { return "inpaint"; }

    @Override public String description() { return "keep the observed pixels (all channels), zero the missing ones: box, random, half or a mask file"; }

    @Override
    public List<Param> parameters() {
        return List.of(
                Param.choice("mask", "box", "which pixels are missing: a box, a random fraction, the right half, or a .npy file (non-zero = observed)",
                        "box", "random", "half", "file"),
                Param.ints("box", List.of(), "missing box [top, left, height, width] in pixels (default: the centred half-size box)"),
                Param.real("missing", 0.7, "fraction of pixels missing for mask random").min(0).max(1),
                Param.integer("seed", 0, "seed of the random mask").min(0),
                Param.string("file", "", "mask .npy of shape [H, W] or the example's shape, for mask file"));
    }

    @Override
    public Operator create(Params params, OperatorContext context) {
        Grid g = Grid.of(context.exampleShape(), name());
        boolean[] pixelObserved = switch (params.string("mask")) {
            case "box" -> box(g, params.ints("box"));
            case "random" -> random(g, params.real("missing"), params.integer("seed"));
            case "half" -> half(g);
            default -> null;
        };
        boolean[] observed = pixelObserved == null ? fromFile(g, params.string("file"), context) : allChannels(g, pixelObserved);
        return new Selection(context.exampleShape(), observed);
    }

    private static boolean[] box(Grid g, int[] box) {
        int top, left, height, width;
        if (box.length == 0) {
            height = Math.max(1, g.h() / 2);
            width = Math.max(1, g.w() / 2);
            top = (g.h() - height) / 2;
            left = (g.w() - width) / 2;
        } else if (box.length == 4) {
            top = box[0];
            left = box[1];
            height = box[2];
            width = box[3];
        } else {
            throw new ParamException("box", "inpaint box must be [top, left, height, width], got " + Arrays.toString(box));
        }
        if (top < 0 || left < 0 || height < 1 || width < 1 || top + height > g.h() || left + width > g.w()) {
            throw new ParamException("box", "inpaint box " + Arrays.toString(new int[] {top, left, height, width})
                    + " must lie inside the " + g.h() + "x" + g.w() + " image");
        }
        boolean[] observed = new boolean[g.pixels()];
        for (int i = 0; i < g.h(); i++) {
            for (int j = 0; j < g.w(); j++) observed[i * g.w() + j] = i < top || i >= top + height || j < left || j >= left + width;
        }
        return observed;
    }

    /** Exactly round(missing * pixels) pixels missing, chosen by a seeded shuffle. */
    private static boolean[] random(Grid g, double missing, int seed) {
        int p = g.pixels();
        int[] order = new int[p];
        for (int i = 0; i < p; i++) order[i] = i;
        Rng rng = new Rng(seed);
        for (int i = p - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] observed = new boolean[p];
        Arrays.fill(observed, true);
        long lost = Math.round(missing * p);
        for (int i = 0; i < lost; i++) observed[order[i]] = false;
        return observed;
    }

    /** The right half of the columns missing (for a point [d]: its last d/2 coordinates). */
    private static boolean[] half(Grid g) {
        boolean[] observed = new boolean[g.pixels()];
        for (int i = 0; i < g.h(); i++) for (int j = 0; j < g.w(); j++) observed[i * g.w() + j] = j < (g.w() + 1) / 2;
        return observed;
    }

    private static boolean[] allChannels(Grid g, boolean[] pixelObserved) {
        boolean[] observed = new boolean[g.size()];
        for (int ch = 0; ch < g.c(); ch++) System.arraycopy(pixelObserved, 0, observed, ch * g.pixels(), g.pixels());
        return observed;
    }

    /** A mask file read by the kernel's checked reader ({@link OperatorContext#arrays}): non-zero = observed. */
    private boolean[] fromFile(Grid g, String file, OperatorContext context) {
        if (file.isEmpty()) throw new ParamException("file", "inpaint mask file needs file: 'mask.npy'");
        Path path = context.baseDir() == null ? Path.of(file) : context.baseDir().resolve(file);
        INDArray mask;
        try {
            mask = context.arrays().apply(path);
        } catch (RuntimeException e) { // the reader's one line (absent, truncated, not a .npy, ...), at the setting
            throw new ParamException("file", "mask file " + path + ": " + e.getMessage());
        }
        long[] shape = mask.shape();
        boolean[] observed = new boolean[Math.toIntExact(mask.length())];
        INDArray flat = mask.reshape('c', new long[] {mask.length()});
        for (int i = 0; i < observed.length; i++) observed[i] = flat.getDouble(i) != 0;
        if (Arrays.equals(shape, g.shape())) return observed;
        if (Arrays.equals(shape, new long[] {g.h(), g.w()})) return allChannels(g, observed);
        throw new ParamException("file", "mask " + path + " has shape " + Arrays.toString(shape) + "; expected ["
                + g.h() + ", " + g.w() + "] or " + Arrays.toString(g.shape()));
    }
}

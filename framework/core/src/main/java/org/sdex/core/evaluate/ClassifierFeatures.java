package org.sdex.core.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.core.classify.ClassifierCheckpoint;
import org.sdex.core.classify.ClassifierNetwork;
import org.sdex.core.error.SdexException;
import org.sdex.spi.data.PixelRange;

/**
 * The penultimate features of a clean sdex classifier, in place of Inception's on small gray data
 * sets. Images arrive in [0, 1] and are mapped to the pixel range the classifier was trained on, so
 * a classifier trained on centred pixels measures samples of an uncentred model too.
 */
public final class ClassifierFeatures implements FeatureNetwork {
    private final ClassifierNetwork network;
    private final PixelRange pixels;
    private final String source;
    private final int batch;

    private ClassifierFeatures(ClassifierNetwork network, PixelRange pixels, String source, int batch) {
        this.network = network;
        this.pixels = pixels;
        this.source = source;
        this.batch = batch;
    }

    /**
     * The classifier of {@code checkpoint} (a file or a classifier's output folder), checked to be
     * clean, trained on 8-bit images, and of images shaped {@code imageShape} [C, H, W] (null: not checked).
     */
    public static ClassifierFeatures open(Path checkpoint, long[] imageShape, int batch) {
        ClassifierCheckpoint c = ClassifierCheckpoint.load(checkpoint);
        if (c.sde() != null) {
            throw new SdexException(checkpoint + " is a noise-conditional classifier; features need a clean one"
                    + " (sdex classifier train without --noise-conditional)");
        }
        if (c.pixels() == null) throw new SdexException(checkpoint + " was not trained on 8-bit images; features need an image classifier");
        long[] own = c.architecture().exampleShape();
        if (imageShape != null && !Arrays.equals(own, imageShape)) {
            throw new SdexException(checkpoint + " classifies images of shape " + Arrays.toString(own) + ", the data's are "
                    + Arrays.toString(imageShape) + "; use a classifier trained on this data set");
        }
        return new ClassifierFeatures(c.network(sde -> null), c.pixels(), checkpoint.toString(), batch);
    }

    public long[] imageShape() { return network.architecture().exampleShape(); }

    @Override
    public INDArray features(INDArray images) {
        long[] shape = Arrays.copyOfRange(images.shape(), 1, images.rank());
        if (!Arrays.equals(shape, imageShape())) {
            throw new SdexException("images " + Arrays.toString(images.shape()) + " do not fit the classifier's "
                    + Arrays.toString(imageShape()));
        }
        INDArray x = pixels == PixelRange.CENTERED ? images.mul(2).subi(1) : images;
        List<INDArray> parts = new ArrayList<>();
        for (long from = 0; from < x.size(0); from += batch) {
            parts.add(network.features(x.get(NDArrayIndex.interval(from, Math.min(x.size(0), from + batch)))).dup());
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    @Override
    public String describe() { return "classifier " + source + " (" + network.architecture().features() + " features)"; }
}

package org.sdex.core.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sdex.core.config.EvaluateSettings;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.data.PixelRange;

/**
 * FID and KID of generated images against a reference split, with what real images score at the
 * same sizes: the first {@code n} images of the reference split against the samples, and beside
 * them the first as-many-as-samples images of the other split (train for a test reference) against
 * the same reference. FID is biased upwards at small sizes; the baseline is what a perfect
 * generator would score here. The reference's features are computed once, on first use.
 */
public final class SampleEvaluation {
    /** One comparison: its FID, KID (mean and standard error over subsets) and the two set sizes. */
    public record Distance(double fid, ImageMetrics.Kid kid, long n, long nReference) {}

    /** The samples' distance, and the baseline's (null when the other split holds fewer images than the samples). */
    public record Result(Distance samples, Distance baseline, String baselineSource) {}

    private final FeatureNetwork network;
    private final ImageMetrics metrics;
    private final Dataset reference;
    private final Dataset other;
    private final EvaluateSettings settings;
    private final PixelRange pixels;
    private INDArray referenceFeatures;

    /** {@code reference} and {@code other}: the settings' split and baseline split of a finite 8-bit image set. */
    public SampleEvaluation(FeatureNetwork network, ImageMetrics metrics, Dataset reference, Dataset other, EvaluateSettings settings) {
        this.network = network;
        this.metrics = metrics;
        this.reference = reference;
        this.other = other;
        this.settings = settings;
        this.pixels = reference.pixels().orElseThrow(() -> new IllegalArgumentException("evaluation needs 8-bit images"));
    }

    /** How many reference images are compared with: n, or the whole split when n is 0. */
    public static long referenceSize(EvaluateSettings settings, Dataset reference) {
        long size = reference.size().orElseThrow();
        return settings.n() == 0 ? size : settings.n();
    }

    /** FID and KID of {@code samples} [N, C, H, W], in the data's pixel range as the model generates them. */
    public Result evaluate(INDArray samples) {
        if (referenceFeatures == null) {
            referenceFeatures = network.features(unitImages(reference.examples(0, (int) referenceSize(settings, reference))));
        }
        long n = samples.size(0);
        Distance s = distance(network.features(unitImages(samples)));
        Distance b = null;
        if (other.size().orElse(0) >= n) b = distance(network.features(unitImages(other.examples(0, (int) n))));
        String source = "the first " + n + " images of the " + settings.baselineSplit() + " split";
        return new Result(s, b, b == null ? "n/a: the " + settings.baselineSplit() + " split holds fewer than " + n + " images" : source);
    }

    private Distance distance(INDArray features) {
        double fid = metrics.frechetDistance(features, referenceFeatures);
        ImageMetrics.Kid kid = metrics.kernelDistance(features, referenceFeatures, settings.kidSubsets(), settings.kidSubsetSize(), settings.seed());
        return new Distance(fid, kid, features.size(0), referenceFeatures.size(0));
    }

    /**
     * Images in [0, 1] as the reference evaluation saves them: clipped and rounded to 8 bits, so
     * samples are judged as the images they would be written as (the data are 8-bit already).
     */
    INDArray unitImages(INDArray x) {
        INDArray unit = x.castTo(DataType.FLOAT);
        unit = pixels == PixelRange.CENTERED ? unit.add(1).divi(2) : unit.dup();
        unit = Transforms.min(Transforms.max(unit, 0.0, false), 1.0, false);
        return Transforms.round(unit.muli(255), false).divi(255);
    }

    /** The numbers as metrics.jsonl and evaluate.json hold them. */
    public static Map<String, Object> toMap(Result r, FeatureNetwork network, EvaluateSettings settings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fid", r.samples().fid());
        m.put("kid", r.samples().kid().mean());
        m.put("kidSe", r.samples().kid().standardError());
        m.put("n", r.samples().n());
        m.put("nReference", r.samples().nReference());
        if (r.baseline() != null) {
            m.put("fidBaseline", r.baseline().fid());
            m.put("kidBaseline", r.baseline().kid().mean());
            m.put("kidBaselineSe", r.baseline().kid().standardError());
        }
        m.put("baseline", r.baselineSource() + " against the same reference");
        m.put("reference", "the first " + r.samples().nReference() + " images of the " + settings.split() + " split");
        m.put("features", network.describe());
        m.put("kidSubsets", settings.kidSubsets());
        m.put("kidSubsetSize", r.samples().kid().subsetSize());
        return m;
    }
}

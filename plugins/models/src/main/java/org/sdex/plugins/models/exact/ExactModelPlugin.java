package org.sdex.plugins.models.exact;

import java.util.Arrays;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.Model;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.toolkit.oracle.GaussianMixture;

/**
 * {@code exact}: the analytic score of a Gaussian-mixture dataset pushed through the SDE. Nothing to
 * train; usable wherever a trained model is, and the ground truth for samplers and likelihoods.
 */
public final class ExactModelPlugin implements ModelPlugin {
    @Override public String name() { return "exact"; }

    @Override public String description() { return "analytic score of a gmm dataset under the SDE (ground truth, no training)"; }

    @Override
    public Model create(Params params, ModelContext ctx) {
        GaussianMixture mixture = ctx.dataset().mixture().map(GaussianMixture::new).orElseThrow(() -> new ParamException(null,
                "model 'exact' needs data with a known density (data 'gmm'); got data " + describe(ctx.dataset())));
        ExactScore score = new ExactScore(mixture, ctx.sde());
        return (AnalyticModel) () -> score;
    }

    /** The built-in datasets print their plugin name; any other is described by its example shape. */
    private static String describe(Dataset data) {
        try {
            if (data.getClass().getMethod("toString").getDeclaringClass() != Object.class) return data.toString();
        } catch (NoSuchMethodException e) {
            // every class has toString
        }
        return "of shape " + Arrays.toString(data.shape());
    }
}

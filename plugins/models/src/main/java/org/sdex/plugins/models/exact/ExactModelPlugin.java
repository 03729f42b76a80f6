package org.sdex.plugins.models.exact;

import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.Model;
import org.sdex.spi.model.ModelContext;
import org.sdex.spi.model.ModelPlugin;
import org.sdex.spi.oracle.GaussianMixture;

/**
 * {@code exact}: the analytic score of a Gaussian-mixture dataset pushed through the SDE. Nothing to
 * train; usable wherever a trained model is, and the ground truth for samplers and likelihoods.
 */
public final class ExactModelPlugin implements ModelPlugin {
    @Override public String name() { return "exact"; }

    @Override public String description() { return "analytic score of a gmm dataset under the SDE (ground truth, no training)"; }

    @Override
    public Model create(Params params, ModelContext ctx) {
        GaussianMixture mixture = ctx.dataset().mixture().orElseThrow(() -> new ParamException(null,
                "model 'exact' needs data with a known density (data 'gmm')"));
        ExactScore score = new ExactScore(mixture, ctx.sde());
        return (AnalyticModel) () -> score;
    }
}

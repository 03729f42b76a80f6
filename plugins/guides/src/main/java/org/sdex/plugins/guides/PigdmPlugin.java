package org.sdex.plugins.guides;

import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.guide.Guide;
import org.sdex.spi.guide.GuideContext;
import org.sdex.spi.guide.GuideNeed;
import org.sdex.spi.guide.GuidePlugin;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.operator.LinearOperator;
import org.sdex.spi.operator.Svd;
import org.sdex.spi.sde.Sde;

/** {@code pigdm}: pseudoinverse-guided diffusion (ΠGDM), the Gaussian approximation p(x₀ | x_t) = N(x̂₀, r_t² I) solved in the operator's SVD space (Song, Vahdat, Mardani, Kautz 2023, ICLR). */
public final class PigdmPlugin implements GuidePlugin {
    @Override public String name() { return "pigdm"; }

    @Override
    public String description() {
        return "ΠGDM: score + (dx0_hat/dx)^T A^T (r_t^2 A A^T + noise^2 I)^-1 (y - A x0_hat), in the SVD basis (Song et al. 2023)";
    }

    @Override
    public List<Param> parameters() {
        return List.of(Param.real("scale", 1.0, "guidance scale (1: the method as derived)").positive(),
                Param.real("dataVariance", 1.0, "per-coordinate variance v of the data in r_t^2 = v s^2 / (v + s^2), s = sigma/alpha").positive());
    }

    @Override
    public Set<GuideNeed> needs(Params params) { return Set.of(GuideNeed.MEASUREMENT, GuideNeed.SVD, GuideNeed.SCORE_VJP); }

    @Override public int evaluationsPerScore(Params params) { return 2; }

    /**
     * ΠGDM approximates {@code p(x0 | x_t)} by {@code N(x̂0, r_t^2 I)}, which makes
     * {@code p(y | x_t) = N(A x̂0, r_t^2 A Aᵀ + noise^2 I)} and
     * {@code ∇ log p(y | x_t) = (∂x̂0/∂x)ᵀ Aᵀ (r_t^2 A Aᵀ + noise^2 I)⁻¹ (y - A x̂0)}. With A = U S Vᵀ
     * the inverse is diagonal: the direction is {@code V [s_i / (r_t^2 s_i^2 + noise^2) (Uᵀ (y - A x̂0))_i]}.
     * The paper's r_t^2 = sigma^2 / (1 + sigma^2) for VE-scaled data of unit variance becomes, for
     * any linear SDE in the scaled variable x / alpha (noise level sigma/alpha), {@code v (sigma/alpha)^2 /
     * (v + (sigma/alpha)^2)}: the posterior variance of a N(0, v) coordinate. This is how it maps onto
     * VE, VP and sub-VP; it is exact when the data are Gaussian with variance v.
     */
    @Override
    public Guide create(Params params, GuideContext context) {
        LinearOperator a = (LinearOperator) context.measurement().operator();
        Svd svd = a.svd().orElseThrow();
        double[] s = svd.singularValues();
        double noise = context.measurement().noise();
        double v = params.real("dataVariance"), scale = params.real("scale");
        Sde sde = context.sde();
        return new DpsPlugin.MeasurementGuide(context, (y, score) -> {
            DifferentiableScore ds = (DifferentiableScore) score;
            return (x, t) -> PosteriorScore.guided(sde, ds, x, t, scale, (x0, time) -> {
                double level = sde.marginalStd(time) / sde.meanScale(time);
                double r2 = v * level * level / (v + level * level);
                double[] gain = new double[s.length];
                for (int i = 0; i < s.length; i++) {
                    double d = r2 * s[i] * s[i] + noise * noise;
                    gain[i] = d > 0 ? s[i] / d : 0;
                }
                INDArray residual = svd.ut(y.castTo(DataType.DOUBLE).sub(a.forward(x0.castTo(DataType.DOUBLE))));
                INDArray c = Nd4j.zeros(DataType.DOUBLE, residual.size(0), svd.vt(x0.castTo(DataType.DOUBLE)).size(1));
                c.get(NDArrayIndex.all(), NDArrayIndex.interval(0, s.length)).assign(residual.mulRowVector(Nd4j.createFromArray(gain)));
                return svd.v(c);
            });
        });
    }
}

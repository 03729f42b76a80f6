package org.sdex.plugins.solvers;

import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.SolverContext;

/**
 * DPM-Solver++(2M), the multistep second-order solver of the probability-flow ODE in data
 * prediction (Lu et al. 2022, arXiv 2211.01095, Alg. 2). With {@code h_i = lambda(t_i) - lambda(t_{i-1})}
 * and {@code r_i = h_{i-1} / h_i}:
 * <pre>
 *   x_i = (sigma_i / sigma_{i-1}) x_{i-1} + alpha_i (1 - e^{-h_i}) D_i,
 *   D_i = (1 + 1/(2 r_i)) D(x_{i-1}, t_{i-1}) - 1/(2 r_i) D(x_{i-2}, t_{i-2})
 * </pre>
 * and {@code D_i = D(x_{i-1}, t_{i-1})} on the first step (and everywhere with order 1, which is
 * DDIM). One denoiser evaluation per step, reused by the next step. With {@code lowerOrderFinal} and
 * fewer than 15 steps the last step is first order, as in the authors' code. Denoising follows
 * {@link TimeGrid}'s convention: the last evaluation is {@code D(x(eps), eps)}.
 */
final class DpmSolverPlusPlus implements Solver {
    /** Below this many steps the last step is taken at first order (the reference implementation's threshold). */
    static final int LOWER_ORDER_FINAL_BELOW = 15;

    private final DenoiserView view;
    private final int steps;
    private final double eps;
    private final boolean denoise;
    private final int order;
    private final String skipType;
    private final boolean lowerOrderFinal;

    DpmSolverPlusPlus(SolverContext ctx, DenoiserView view, int order, String skipType, boolean lowerOrderFinal) {
        this.view = view;
        this.steps = ctx.steps();
        this.eps = ctx.eps();
        this.denoise = ctx.denoise();
        this.order = order;
        this.skipType = skipType;
        this.lowerOrderFinal = lowerOrderFinal;
    }

    double[] grid() {
        int n = TimeGrid.intervals(steps, denoise);
        double T = view.T();
        return switch (skipType) {
            case "time_uniform" -> TimeGrid.timeUniform(T, eps, n);
            case "time_quadratic" -> TimeGrid.timeQuadratic(T, eps, n);
            case "logSNR" -> TimeGrid.logSnr(view, T, eps, n);
            default -> throw new IllegalArgumentException("unknown skipType '" + skipType + "'");
        };
    }

    @Override
    public INDArray sample(INDArray xT, Rng rng, IntConsumer onStep) {
        double[] t = grid();
        int n = t.length - 1;
        INDArray x = xT.dup();
        INDArray previous = null;      // D(x_{i-2}, t_{i-2}) for the multistep correction
        double previousH = Double.NaN;
        for (int i = 1; i <= n; i++) {
            double s = t[i - 1], u = t[i];
            double h = view.lambda(u) - view.lambda(s);
            double alphaU = view.alpha(u);
            double phi = -Math.expm1(-h); // 1 - e^{-h}
            INDArray d = view.denoise(x, s);
            boolean second = order == 2 && previous != null
                    && !(lowerOrderFinal && i == n && steps < LOWER_ORDER_FINAL_BELOW);
            x.muli(view.sigma(u) / view.sigma(s));
            if (second) {
                double c = 0.5 * h / previousH; // 1 / (2 r)
                x.addi(d.mul(alphaU * phi * (1 + c))).subi(previous.muli(alphaU * phi * c));
            } else {
                x.addi(d.mul(alphaU * phi));
            }
            previous = d;
            previousH = h;
            if (onStep != null) onStep.accept(i);
        }
        if (denoise) {
            x = view.denoise(x, t[n]);
            if (onStep != null) onStep.accept(n + 1);
        }
        return x;
    }
}

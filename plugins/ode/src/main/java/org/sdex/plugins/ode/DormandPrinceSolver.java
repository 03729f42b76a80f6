package org.sdex.plugins.ode;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.AMax;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.sampling.OdeFunction;
import org.sdex.spi.sampling.OdeSolution;
import org.sdex.spi.sampling.OdeSolver;

/**
 * Dormand-Prince 5(4) with adaptive steps (Dormand & Prince 1980; Hairer, Nørsett & Wanner 1993,
 * Sec. II.4), step for step what scipy's {@code solve_ivp(method='RK45')} does, which is what the
 * reference score_sde implementation samples the probability-flow ODE with (on the flattened batch):
 *
 * <ul>
 *   <li>the fifth-order solution is propagated; the embedded fourth-order one gives the error
 *       estimate {@code err = h sum_j E_j k_j};</li>
 *   <li>error norm: the RMS over all elements of {@code err / (atol + rtol max(|y|, |y_new|))}; a step
 *       is accepted when it is below 1;</li>
 *   <li>new step {@code h * min(10, 0.9 norm^(-1/5))} after an accepted step (at most {@code h} right
 *       after a rejection), {@code h * max(0.2, 0.9 norm^(-1/5))} after a rejected one;</li>
 *   <li>FSAL: the last stage of a step is evaluated at the new state and is the first stage of the
 *       next, so every attempted step, accepted or rejected, costs 6 evaluations;</li>
 *   <li>the first step is chosen by Hairer's heuristic (scipy's {@code select_initial_step}), which
 *       costs one evaluation, unless {@code firstStep} is given (larger than the interval, it is
 *       clipped to it).</li>
 * </ul>
 *
 * Evaluations are therefore exactly {@code 1 + (firstStep == 0 ? 1 : 0) + 6 (accepted + rejected)},
 * and none when {@code t0 == t1} (scipy evaluates F once there; nothing needs it here). The stage
 * buffers are allocated once per solve and reused by every step.
 */
final class DormandPrinceSolver implements OdeSolver {
    static final String NAME = "rk45";
    static final double SAFETY = 0.9, MIN_FACTOR = 0.2, MAX_FACTOR = 10;
    /** -1 / (error estimator order + 1). */
    private static final double EXPONENT = -1.0 / 5;

    private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1};
    private static final double[][] A = {
            {},
            {1.0 / 5},
            {3.0 / 40, 9.0 / 40},
            {44.0 / 45, -56.0 / 15, 32.0 / 9},
            {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
            {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656}};
    private static final double[] B = {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84};
    /** Fourth- minus fifth-order weights, over the six stages and the FSAL evaluation. */
    private static final double[] E = {-71.0 / 57600, 0, 71.0 / 16695, -71.0 / 1920, 17253.0 / 339200, -22.0 / 525, 1.0 / 40};

    private final double rtol, atol, firstStep;
    private final int maxSteps;

    DormandPrinceSolver(double rtol, double atol, double firstStep, int maxSteps) {
        if (!(rtol > 0) || !(atol > 0) || !(firstStep >= 0) || maxSteps < 1) {
            throw new IllegalArgumentException(NAME + ": needs rtol > 0, atol > 0, firstStep >= 0, maxSteps >= 1");
        }
        this.rtol = Math.max(rtol, 100 * Math.ulp(1.0));
        this.atol = atol;
        this.firstStep = firstStep;
        this.maxSteps = maxSteps;
    }

    /** Python's min and max, as scipy computes with them: a NaN second argument is passed over. */
    private static double pyMin(double a, double b) { return b < a ? b : a; }

    private static double pyMax(double a, double b) { return b > a ? b : a; }

    @Override
    public OdeSolution solve(OdeFunction f, INDArray y0, double t0, double t1) {
        Ops.checkProblem(NAME, f, y0, t0, t1);
        if (t0 == t1 || y0.isEmpty()) return new OdeSolution(Ops.copy(y0), 0, 0, 0);
        return new Run(f, y0, t0, t1).integrate();
    }

    /** The state of one solve: its buffers, stages and counts. */
    private final class Run {
        final OdeFunction f;
        final double t0, t1, direction;
        INDArray y, yNew;
        final INDArray stage, err, scale;
        /** Every buffer this run writes; a derivative sharing memory with one is copied. */
        final INDArray[] owned;
        final INDArray[] k = new INDArray[7];
        int evaluations, accepted, rejected;
        boolean nonFinite;

        Run(OdeFunction f, INDArray y0, double t0, double t1) {
            this.f = f;
            this.t0 = t0;
            this.t1 = t1;
            this.direction = Math.signum(t1 - t0);
            y = Ops.copy(y0);
            yNew = Ops.buffer(y);
            stage = Ops.buffer(y);
            err = Ops.buffer(y);
            scale = Ops.buffer(y);
            owned = new INDArray[] {y, yNew, stage, err, scale};
        }

        INDArray derivative(double t, INDArray state) {
            evaluations++;
            return Ops.derivative(NAME, f, t, state, owned);
        }

        OdeSolution integrate() {
            double t = t0;
            k[0] = derivative(t, y);
            double hAbs = firstStep > 0 ? Math.min(firstStep, Math.abs(t1 - t0)) : initialStep();
            while (direction * (t - t1) < 0) {
                double minStep = 10 * Math.abs(Math.nextAfter(t, direction * Double.POSITIVE_INFINITY) - t);
                if (hAbs < minStep) hAbs = minStep;
                boolean stepRejected = false;
                while (true) {
                    if (!(hAbs >= minStep)) throw tooSmall(t, Double.isNaN(hAbs));
                    if (accepted + rejected >= maxSteps) throw tooMany(t);
                    double tNew = t + hAbs * direction;
                    if (direction * (tNew - t1) > 0) tNew = t1;
                    double h = tNew - t;
                    hAbs = Math.abs(h);
                    double norm = attempt(t, h);
                    if (norm < 1) {
                        double factor = norm == 0 ? MAX_FACTOR : Math.min(MAX_FACTOR, SAFETY * Math.pow(norm, EXPONENT));
                        if (stepRejected) factor = Math.min(1, factor);
                        hAbs *= factor;
                        accepted++;
                        nonFinite = false;
                        t = tNew;
                        INDArray old = y;
                        y = yNew;
                        yNew = old;
                        k[0] = k[6];
                        break;
                    }
                    double factor = SAFETY * Math.pow(norm, EXPONENT);
                    // scipy's max(0.2, NaN) is 0.2: a non-finite error shrinks the step like a large one
                    hAbs *= factor > MIN_FACTOR ? factor : MIN_FACTOR;
                    nonFinite = Double.isNaN(norm) || Double.isInfinite(norm);
                    rejected++;
                    stepRejected = true;
                }
            }
            return new OdeSolution(y, evaluations, accepted, rejected);
        }

        /** One Dormand-Prince step of size h from (t, y) into yNew and k[1..6]; returns the error norm. */
        double attempt(double t, double h) {
            for (int s = 1; s <= 5; s++) {
                stage.assign(y);
                for (int j = 0; j < s; j++) Ops.axpy(h * A[s][j], k[j], stage);
                k[s] = derivative(t + C[s] * h, stage);
            }
            yNew.assign(y);
            for (int j = 0; j < 6; j++) {
                if (B[j] != 0) Ops.axpy(h * B[j], k[j], yNew);
            }
            k[6] = derivative(t + h, yNew);

            // err / scale = (h E_6 / rtol) (k_6 + sum_j (E_j / E_6) k_j) / (max(|y|, |y_new|) + atol / rtol):
            // the scalar factors leave the arrays, so the norm takes 11 passes (6 of them BLAS) rather than 13
            err.assign(k[6]);
            for (int j = 0; j < 6; j++) {
                if (E[j] != 0) Ops.axpy(E[j] / E[6], k[j], err);
            }
            Nd4j.exec(new AMax(y, yNew, scale)); // the entry of larger magnitude, signed
            Nd4j.exec(new Abs(scale, scale));
            scale.addi(atol / rtol);
            return Math.abs(h * E[6]) / rtol * Ops.rms(err.divi(scale));
        }

        /** Hairer, Nørsett & Wanner 1993, Sec. II.4, as scipy's select_initial_step (no max_step); one evaluation. */
        double initialStep() {
            double interval = Math.abs(t1 - t0);
            Nd4j.exec(new Abs(y, scale));
            scale.muli(rtol).addi(atol);
            double d0 = Ops.rms(y.div(scale, err));
            double d1 = Ops.rms(k[0].div(scale, err));
            double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
            h0 = pyMin(h0, interval);
            INDArray f1 = derivative(t0 + h0 * direction, Ops.axpy(h0 * direction, k[0], y, stage));
            double d2 = Ops.rms(f1.sub(k[0], err).divi(scale)) / h0;
            double h1 = d1 <= 1e-15 && d2 <= 1e-15 ? Math.max(1e-6, h0 * 1e-3)
                    : Math.pow(0.01 / pyMax(d1, d2), -EXPONENT);
            return pyMin(pyMin(100 * h0, h1), interval);
        }

        private IllegalStateException tooMany(double t) {
            return new IllegalStateException(String.format(
                    "%s: gave up after maxSteps = %d steps (%d accepted, %d rejected) at t = %s, integrating from %s to %s;"
                            + " raise maxSteps or loosen rtol/atol", NAME, maxSteps, accepted, rejected, t, t0, t1));
        }

        private IllegalStateException tooSmall(double t, boolean nanStep) {
            return new IllegalStateException(String.format(
                    "%s: the step size fell below the floating-point spacing at t = %s, integrating from %s to %s%s",
                    NAME, t, t0, t1, nonFinite || nanStep ? " (the ODE function gave non-finite values there)" : ""));
        }
    }
}

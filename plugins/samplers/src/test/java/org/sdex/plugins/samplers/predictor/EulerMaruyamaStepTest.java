package org.sdex.plugins.samplers.predictor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.plugins.samplers.corrector.NoneCorrectorPlugin;
import org.sdex.plugins.sde.VeSde;
import org.sdex.plugins.sde.VpSde;
import org.sdex.spi.Params;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.StepHook;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.Sde;

/** One predictor step against the update written out by hand, and the plugins' declarations. */
class EulerMaruyamaStepTest {
    private static final double[][] X = {{0.5, -1.0}, {2.0, 0.25}, {-0.75, 1.5}};
    /** A linear score, s(x, t) = -x / (1 + t), so the expected drift is easy to write down. */
    private static final ScoreFunction SCORE = (x, t) -> x.mul(-1.0 / (1 + t));

    private static Step step(Sde sde, boolean probabilityFlow, double t, double dt, Rng rng) {
        EulerMaruyamaPlugin em = new EulerMaruyamaPlugin();
        return em.create(Params.of(em, Map.of()), new SamplerContext(sde, SCORE, 1000, 1e-3, true, probabilityFlow, StepHook.NONE))
                .update(Nd4j.createFromArray(X), t, dt, rng);
    }

    @Test
    void reverseSdeStepIsDriftTimesDtPlusScaledNoise() {
        Sde sde = new VpSde(0.1, 20);
        double t = 0.4, dt = -1e-3;
        double f = -0.5 * (0.1 + t * 19.9), g2 = 0.1 + t * 19.9;
        Step s = step(sde, false, t, dt, new Rng(21));
        // the same stream the predictor drew its z from
        INDArray z = new Rng(21).normal(DataType.DOUBLE, 3, 2);
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 2; i++) {
                double x = X[b][i];
                double mean = x + (f * x - g2 * (-x / (1 + t))) * dt;
                assertThat(s.mean().getDouble(b, i)).isCloseTo(mean, offset(1e-12));
                assertThat(s.x().getDouble(b, i)).isCloseTo(mean + Math.sqrt(g2) * Math.sqrt(-dt) * z.getDouble(b, i), offset(1e-12));
            }
        }
    }

    @Test
    void probabilityFlowStepIsDeterministicEulerWithHalfTheScore() {
        Sde sde = new VeSde(0.01, 50);
        double t = 0.7, dt = -1e-3;
        double sigma = 0.01 * Math.pow(5000, t);
        double g2 = sigma * sigma * 2 * Math.log(5000);
        Rng rng = new Rng(4);
        Step s = step(sde, true, t, dt, rng);
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 2; i++) {
                double x = X[b][i];
                double expected = x + (0 - 0.5 * g2 * (-x / (1 + t))) * dt;
                assertThat(s.x().getDouble(b, i)).isCloseTo(expected, offset(1e-12));
            }
        }
        assertThat(s.mean()).isEqualTo(s.x());
        assertThat(rng.state()).as("no noise drawn").containsExactly(4, 0);
    }

    @Test
    void noneStepsLeaveTheStateAlone() {
        SamplerContext ctx = new SamplerContext(new VpSde(0.1, 20), SCORE, 10, 1e-3, true, false, StepHook.NONE);
        INDArray x = Nd4j.createFromArray(X);
        NonePredictorPlugin p = new NonePredictorPlugin();
        NoneCorrectorPlugin c = new NoneCorrectorPlugin();
        Step ps = p.create(Params.of(p, Map.of()), ctx).update(x, 0.5, -0.1, new Rng(1));
        Step cs = c.create(Params.of(c, Map.of()), ctx).update(x, 0.5, new Rng(1));
        assertThat(List.of(ps.x(), ps.mean(), cs.x(), cs.mean())).allSatisfy(y -> assertThat(y).isEqualTo(x));
        assertThat(p.scoreEvaluationsPerStep(Params.of(p, Map.of()))).isZero();
        assertThat(c.scoreEvaluationsPerStep(Params.of(c, Map.of()))).isZero();
        EulerMaruyamaPlugin em = new EulerMaruyamaPlugin();
        assertThat(em.scoreEvaluationsPerStep(Params.of(em, Map.of()))).isEqualTo(1);
    }

    @Test
    void pluginsAreRegisteredWithSnakeCaseNamesAndOneLineDescriptions() {
        List<PredictorPlugin> predictors = ServiceLoader.load(PredictorPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
        List<CorrectorPlugin> correctors = ServiceLoader.load(CorrectorPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(predictors).extracting(PredictorPlugin::name)
                .containsExactlyInAnyOrder("euler_maruyama", "reverse_diffusion", "ancestral_sampling", "none");
        assertThat(correctors).extracting(CorrectorPlugin::name).containsExactlyInAnyOrder("none", "langevin", "ald");
        List<org.sdex.spi.Plugin> all = new java.util.ArrayList<>(predictors);
        all.addAll(correctors);
        for (var plugin : all) {
            assertThat(plugin.name()).matches("[a-z][a-z0-9_]*");
            assertThat(plugin.description()).isNotBlank().doesNotContain("\n");
            assertThat(plugin.version()).isNotBlank();
            // every parameter is typed, described, and its default passes its own check
            for (var p : plugin.parameters()) {
                assertThat(p.name()).matches("[a-z][A-Za-z0-9]*");
                assertThat(p.description()).isNotBlank();
            }
            assertThat(Params.of(plugin, Map.of()).asMap()).hasSize(plugin.parameters().size());
        }
        for (var plugin : predictors) {
            assertThat(plugin.parameters()).isEmpty();
            int evaluations = plugin.name().equals("none") ? 0 : 1;
            assertThat(plugin.scoreEvaluationsPerStep(Params.of(plugin, Map.of()))).isEqualTo(evaluations);
        }
        assertThat(correctors).filteredOn(c -> !c.name().equals("none"))
                .allSatisfy(c -> assertThat(c.parameters()).extracting(org.sdex.spi.Param::name).startsWith("snr", "nSteps"));
    }
}

package org.sdex.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import java.util.Map;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.config.PluginRef;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.sweep.SweepDeclaration;
import org.sdex.core.vocabulary.Block;
import org.sdex.core.vocabulary.Vocabulary;

/**
 * The body of {@code experiment('name') { ... }}: the seed, the data, SDE and model plugins, and
 * the blocks, as {@link Vocabulary#EXPERIMENT} declares them. A block without a typed method here
 * is read by a plain {@link BlockSpec}.
 */
public class ExperimentSpec extends SpecSupport {
    private final ExperimentConfig config;

    ExperimentSpec(ScriptContext context, ExperimentConfig config) {
        super(context);
        this.config = config;
    }

    /** Seed of everything random (weights, training noise, sampling), unless a block sets its own. */
    public void seed(Number seed) { set("seed", seed); }

    /** The data set, e.g. {@code data 'checkerboard'} or {@code data 'gmm', weights: [0.5, 0.5], ...}. */
    public void data(String plugin) { plugin("data", plugin, null); }

    public void data(Map<String, ?> params, String plugin) { plugin("data", plugin, params); }

    /** The forward SDE, e.g. {@code sde 'vp', betaMin: 0.1, betaMax: 20}. */
    public void sde(String plugin) { plugin("sde", plugin, null); }

    public void sde(Map<String, ?> params, String plugin) { plugin("sde", plugin, params); }

    /** The score model, e.g. {@code model 'mlp', hidden: [256, 256]} or {@code model 'exact'}. */
    public void model(String plugin) { plugin("model", plugin, null); }

    public void model(Map<String, ?> params, String plugin) { plugin("model", plugin, params); }

    /** Training by denoising score matching; leave it out for analytic models. */
    public void train(@DelegatesTo(value = TrainSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        new TrainSpec(context, config.sectionOrCreate(Vocabulary.TRAIN.name(), context.here())).readBody(body);
    }

    /** Sampling (predictor-corrector, probability-flow ODE or a fast solver); leave it out to only train. */
    public void sample(@DelegatesTo(value = SampleSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        new SampleSpec(context, config.sectionOrCreate(Vocabulary.SAMPLE.name(), context.here())).readBody(body);
    }

    /** Exact log-likelihoods / bits per dimension through the probability-flow ODE, and latent codes. */
    public void likelihood(@DelegatesTo(value = LikelihoodSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        new LikelihoodSpec(context, config.sectionOrCreate(Vocabulary.LIKELIHOOD.name(), context.here())).readBody(body);
    }

    /** Settings to vary over many runs, for {@code sdex sweep}; {@code sdex run} runs the experiment as written. */
    public void sweep(@DelegatesTo(value = SweepSpec.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        SourceLocation where = context.here();
        if (config.sweep != null) {
            throw new ConfigException(where, "only one sweep block per experiment; the first is at line " + config.sweep.location.line());
        }
        config.sweep = new SweepDeclaration();
        config.sweep.location = where;
        body.setDelegate(new SweepSpec(context, config.sweep));
        body.setResolveStrategy(Closure.DELEGATE_ONLY);
        body.call();
    }

    @Override Block block() { return Vocabulary.EXPERIMENT; }

    /** A block of the vocabulary without a typed method here. */
    @Override
    void open(Block nested, Closure<?> body) {
        new BlockSpec(context, nested, config.sectionOrCreate(nested.name(), context.here())).readBody(body);
    }

    @Override
    void store(String name, Object value, SourceLocation where) {
        config.seed = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().strip());
        config.seedLocation = where;
    }

    @Override
    void choose(String keyword, String plugin, Map<String, Object> params, SourceLocation where) {
        config.choose(keyword, new PluginRef(plugin, params, where));
    }
}

package org.sdex.core.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.core.classify.ClassifierCheckpoint;
import org.sdex.core.classify.ClassifierNetwork;
import org.sdex.core.config.ConditionSettings;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.PluginRef;
import org.sdex.core.config.SampleSettings;
import org.sdex.core.config.Section;
import org.sdex.core.config.SourceLocation;
import org.sdex.core.error.SdexException;
import org.sdex.core.plugin.Resolved;
import org.sdex.core.sample.GuidedSampling;
import org.sdex.core.sample.SamplingMethod;
import org.sdex.core.vocabulary.Vocabulary;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.guide.GuideContext;
import org.sdex.spi.guide.GuideNeed;
import org.sdex.spi.guide.GuidePlugin;
import org.sdex.spi.guide.Measurement;
import org.sdex.spi.guide.NoisyClassifier;
import org.sdex.spi.model.AnalyticModel;
import org.sdex.spi.model.NetworkModel;
import org.sdex.spi.model.Model;
import org.sdex.spi.operator.Operator;
import org.sdex.spi.operator.OperatorContext;
import org.sdex.spi.operator.OperatorPlugin;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;
import org.sdex.toolkit.oracle.MixtureClassifier;

/**
 * Checks the condition block against the rest of the experiment and builds what it declares, once:
 * the operator, the observations (made from a split's first n examples with seeded noise, or read
 * from a .npy), the labels, the classifiers, and the guide. Each problem is one line at the script
 * line that caused it, before any compute; the combination of guide, sampling way and what the run
 * provides is {@link GuidedSampling#unsupported}'s to judge.
 */
final class ConditionCheck {
    /** Stream of the observation noise, apart from every other use of the block's seed. */
    private static final long NOISE_STREAM = 31;

    /** What the validator lends: plugin resolution, object creation and opening a data split. */
    interface Validation {
        <P extends org.sdex.spi.Plugin> Resolved<P> resolve(org.sdex.spi.PluginKind kind, String keyword, PluginRef ref,
                                                            SourceLocation fallback, Class<P> type);

        Dataset split(String name);
    }

    private final Validation validation;
    private final Section section;

    ConditionCheck(Validation validation, Section section) {
        this.validation = validation;
        this.section = section;
    }

    /**
     * @param dataPresent false when validating without the data files: then nothing is read and
     *                    the result is null (the settings and plugin names are still checked)
     */
    Conditioning build(long seed, Sde sde, Dataset data, Model model, SamplingMethod sampling, SampleSettings sample,
                       Path observationsOption, boolean dataPresent) {
        ConditionSettings s = ConditionSettings.from(Vocabulary.CONDITION.read(section, seed));
        PluginRef guideRef = section.plugins.get("guide");
        Resolved<GuidePlugin> guide = validation.resolve(org.sdex.spi.PluginKind.GUIDE, "guide", guideRef, section.location, GuidePlugin.class);
        PluginRef operatorRef = section.plugins.get("operator");
        Resolved<OperatorPlugin> operator = operatorRef == null ? null
                : validation.resolve(org.sdex.spi.PluginKind.OPERATOR, "operator", operatorRef, section.location, OperatorPlugin.class);
        Set<GuideNeed> needs = guide.plugin().needs(guide.params());
        String who = "guide '" + guide.name() + "'";
        boolean measured = needs.contains(GuideNeed.MEASUREMENT) || needs.contains(GuideNeed.SVD);
        if (measured && operator == null) {
            throw new ConfigException(guideRef.location, who + " needs a measurement operator; add one, e.g. operator 'inpaint', mask: 'box'");
        }
        if (!measured && operator != null) {
            throw new ConfigException(operatorRef.location, who + " does not use a measurement; remove operator '" + operator.name() + "'");
        }
        if (needs.contains(GuideNeed.SVD) && !operator.plugin().linear(operator.params())) {
            throw new ConfigException(operatorRef.location, who + " works in the singular-value basis of a linear operator;"
                    + " operator '" + operator.name() + "' is not linear (use dps)");
        }
        boolean labelled = needs.contains(GuideNeed.LABELS);
        if (labelled && s.labels().isEmpty()) {
            throw new ConfigException(guideRef.location, who + " needs the classes to sample; add labels, e.g. labels 0..9");
        }
        if (!labelled && !s.labels().isEmpty()) {
            throw new ConfigException(section.where("labels"), "condition setting 'labels' is for guides that sample classes"
                    + " (classifier, cfg); " + who + " does not use them");
        }
        if (labelled && data.mixture().isEmpty() && data.size().isPresent() && dataPresent && data.labels(0, 1).isEmpty()) {
            throw new ConfigException(section.where("labels"), who + " samples classes, and the data set has no labels");
        }
        if (labelled && data.size().isEmpty() && data.mixture().isEmpty()) {
            throw new ConfigException(section.where("labels"), who + " samples classes, and the data set has none (a distribution without components)");
        }
        if (!s.judge().isEmpty() && s.labels().isEmpty()) {
            throw new ConfigException(section.where("judge"), "condition setting 'judge' scores samples against their labels; add labels");
        }
        if (!needs.contains(GuideNeed.CLASSIFIER) && !s.classifier().isEmpty()) {
            throw new ConfigException(section.where("classifier"), who + " does not use a classifier; remove the setting (a judge is set with judge)");
        }
        if (!dataPresent) return null;

        long[] shape = data.shape();
        Measurement measurement = null;
        INDArray truth = null;
        if (measured) {
            Operator op = ExperimentValidator.create(operatorRef, () -> operator.plugin().create(operator.params(), new OperatorContext(shape, null, Npy::read)));
            Path file = observationsOption != null ? observationsOption : s.observations().isEmpty() ? null : Path.of(s.observations());
            INDArray y;
            if (file != null) {
                SourceLocation where = observationsOption != null ? SourceLocation.UNKNOWN : section.where("observations");
                if (!Files.isRegularFile(file)) throw new ConfigException(where, "observations: no file '" + file + "'");
                try {
                    y = Npy.read(file).castTo(DataType.FLOAT);
                } catch (SdexException | IllegalArgumentException e) {
                    throw new ConfigException(where, "observations: " + e.getMessage());
                }
            } else {
                truth = groundTruth(s, data, seed);
                y = op.forward(truth);
                if (s.noise() > 0) y.addi(noise(op, y, s));
            }
            measurement = new Measurement(op, y, s.noise());
        }
        int[] labels = labelled ? repeatEach(s.labels(), s.n()) : null;
        NoisyClassifier classifier = needs.contains(GuideNeed.CLASSIFIER) ? classifier(s, sde, data, guideRef, who) : null;
        ClassifierNetwork judge = s.judge().isEmpty() ? null : judge(s.judge(), data);
        GuideContext ctx = new GuideContext(sde, shape, measurement, labels, classifier).sampledWith(sampling.steps(sample), sample.eps());
        String why = GuidedSampling.unsupported(guide, sampling, capabilities(model), ctx);
        if (why != null) throw new ConfigException(guideRef.location, why);
        var built = ExperimentValidator.create(guideRef, () -> guide.plugin().create(guide.params(), ctx));
        return new Conditioning(guide, operator, s, measurement, truth, labels, built, judge);
    }

    /**
     * sigma_y z in the range of a linear A (z projected by A A⁺): an inpainting mask's missing pixels
     * stay exactly 0 in y, as they would in an observation, so ‖y − A(x)‖ measures only what A sees.
     */
    private static INDArray noise(Operator op, INDArray y, ConditionSettings s) {
        INDArray z = new Rng(s.seed()).fork(NOISE_STREAM).normal(y.dataType(), y.shape());
        if (op instanceof org.sdex.spi.operator.LinearOperator l) z = l.forward(l.pseudoInverse(z)).castTo(y.dataType());
        return z.muli(s.noise());
    }

    /** The first n examples of the split; a distribution (a mixture) gives n seeded draws instead. */
    private INDArray groundTruth(ConditionSettings s, Dataset data, long seed) {
        if (data.size().isEmpty()) return data.sample(s.n(), new Rng(s.seed()).fork(NOISE_STREAM + 1)).castTo(DataType.FLOAT);
        Dataset split = validation.split(s.split());
        long size = split.size().getAsLong();
        if (s.n() > size) {
            throw new ConfigException(section.where("n"), "condition setting 'n' must be <= " + size + ", the size of split '"
                    + s.split() + "', got " + s.n());
        }
        return split.examples(0, s.n()).castTo(DataType.FLOAT);
    }

    private NoisyClassifier classifier(ConditionSettings s, Sde sde, Dataset data, PluginRef guideRef, String who) {
        SourceLocation where = section.where("classifier");
        if (s.classifier().isEmpty()) {
            throw new ConfigException(guideRef.location, who + " needs a noise-conditional classifier; add classifier 'CHECKPOINT'"
                    + " (sdex classifier train --noise-conditional vp)");
        }
        if (s.classifier().equals("exact")) {
            if (data.mixture().isEmpty()) throw new ConfigException(where, "classifier 'exact' is the noisy classifier of a Gaussian mixture; the data is not one");
            return new MixtureClassifier(new GaussianMixture(data.mixture().get()), sde);
        }
        ClassifierCheckpoint c = checkpoint("classifier", s.classifier(), where, data);
        if (!c.architecture().noiseConditional()) {
            throw new ConfigException(where, "classifier '" + s.classifier() + "' is a clean classifier; classifier guidance needs a"
                    + " noise-conditional one (sdex classifier train --noise-conditional vp), a clean one can judge");
        }
        // the network sees the noise-to-signal ratio of x_t, the same for VE, VP and sub-VP: read it off the run's SDE
        return c.network(choice -> sde);
    }

    private ClassifierNetwork judge(String path, Dataset data) {
        SourceLocation where = section.where("judge");
        ClassifierCheckpoint c = checkpoint("judge", path, where, data);
        if (c.architecture().noiseConditional()) {
            throw new ConfigException(where, "judge '" + path + "' is noise-conditional; the samples are judged by a clean classifier");
        }
        return c.network(choice -> null);
    }

    /** A classifier checkpoint that fits the data: its example shape and pixel range. */
    private static ClassifierCheckpoint checkpoint(String setting, String path, SourceLocation where, Dataset data) {
        ClassifierCheckpoint c;
        try {
            c = ClassifierCheckpoint.load(Path.of(path));
        } catch (SdexException e) {
            throw new ConfigException(where, "condition setting '" + setting + "': " + e.getMessage());
        }
        if (!Arrays.equals(c.architecture().exampleShape(), data.shape())) {
            throw new ConfigException(where, "classifier '" + path + "' takes examples of shape " + Arrays.toString(c.architecture().exampleShape())
                    + ", the data has " + Arrays.toString(data.shape()));
        }
        if (c.pixels() != null && data.pixels().isPresent() && c.pixels() != data.pixels().get()) {
            throw new ConfigException(where, "classifier '" + path + "' was trained on pixels in " + c.pixels()
                    + " range, the data has " + data.pixels().get() + " (centered: must match)");
        }
        return c;
    }

    /** What the run's score will be able to do: an analytic model's own score; a network's gives input VJPs. */
    /** What the run's score will be able to do: a network's gives input VJPs, and scores given a class when it has classes. */
    private static GuidedSampling.ScoreCapabilities capabilities(Model model) {
        if (model instanceof AnalyticModel a) return GuidedSampling.ScoreCapabilities.of(a.score());
        return new GuidedSampling.ScoreCapabilities(true, model instanceof NetworkModel n ? n.classes() : 0);
    }

    private static int[] repeatEach(java.util.List<Integer> labels, int n) {
        int[] out = new int[labels.size() * n];
        for (int i = 0; i < out.length; i++) out[i] = labels.get(i / n);
        return out;
    }
}

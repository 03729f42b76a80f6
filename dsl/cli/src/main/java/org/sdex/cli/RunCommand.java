package org.sdex.cli;

import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.run.ComputeThreads;
import org.sdex.core.run.ExperimentPlan;
import org.sdex.core.run.ExperimentRunner;
import org.sdex.core.run.ExperimentValidator;
import org.sdex.core.run.RunResult;

/** {@code sdex run FILE}: load, override, validate the whole experiment, then train and sample. */
final class RunCommand implements Command {
    @Override public String name() { return "run"; }

    @Override public String arguments() { return "FILE [options]"; }

    @Override public String summary() { return "validate an experiment, then train, sample and evaluate likelihoods into runs/<name>-<time>/"; }

    @Override
    public Options options() {
        return Command.withCommon(new Options()
                .addOption(Command.set())
                .addOption(Command.trusted())
                .addOption(Option.builder().longOpt("out").hasArg().argName("DIR").desc("where run directories go (default: runs)").build())
                .addOption(Option.builder().longOpt("dry-run").desc("validate and print the resolved experiment; compute nothing").build())
                .addOption(Option.builder().longOpt("resume").hasArg().argName("DIR").desc("continue the run in DIR from its last valid checkpoint").build())
                .addOption(Option.builder().longOpt("resume-changed")
                        .desc("with --resume: continue even if the experiment's seed, data, SDE, model or training differ from the run's").build())
                .addOption(Command.data())
                .addOption(Option.builder().longOpt("points").hasArg().argName("FILE.npy")
                        .desc("evaluate the likelihood block on these points [N, dims...] instead of the data set").build())
                .addOption(Option.builder().longOpt("observations").hasArg().argName("FILE.npy")
                        .desc("observations [n, operator output...] for the condition block, instead of its split or file").build())
                .addOption(Option.builder().longOpt("no-progress").desc("no progress bars").build()));
    }

    @Override
    public int run(Invocation in) throws Exception {
        ExperimentConfig config = in.experiment();
        ExperimentPlan plan = in.get(ExperimentValidator.class).validate(config);
        if (in.line.hasOption("dry-run")) {
            in.out.println(plan.describe());
            in.out.println("dry run: experiment '" + plan.name() + "' is valid; nothing was computed");
            return ExitCode.OK;
        }
        if (in.flag("threads")) ComputeThreads.set(Integer.parseInt(in.option("threads", "1").strip()));
        ExperimentRunner runner = in.get(ExperimentRunner.class);
        RunResult result = ForeignStdout.divertDuring(() -> runner.run(plan));
        // a few lines for people; the whole summary is in summary.json
        RunReport.lines(result.summary(), result.runDir()).forEach(in.out::println);
        return ExitCode.OK;
    }
}

package org.sdex.cli;

import org.apache.commons.cli.Options;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.run.ExperimentPlan;
import org.sdex.core.run.ExperimentValidator;

/** {@code sdex validate FILE}: everything {@code run} checks, without computing anything. */
final class ValidateCommand implements Command {
    @Override public String name() { return "validate"; }

    @Override public String arguments() { return "FILE [options]"; }

    @Override public String summary() { return "check an experiment (script, plugins, settings) without running it"; }

    @Override
    public Options options() {
        return Command.withCommon(new Options().addOption(Command.set())
                .addOption(Command.trusted()).addOption(Command.data()));
    }

    @Override
    public int run(Invocation in) {
        // the script first: its mistakes are reported before plugins are loaded
        ExperimentConfig config = in.experiment();
        ExperimentPlan plan = in.get(ExperimentValidator.class).validate(config);
        in.out.println(in.argument("FILE") + ": experiment '" + plan.name() + "' is valid");
        return ExitCode.OK;
    }
}

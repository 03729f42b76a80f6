package org.sdex.cli;

import org.apache.commons.cli.Options;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.run.ExperimentValidator;

/** {@code sdex validate FILE}: everything {@code run} checks, without computing anything or needing the data files. */
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
        // the data files are not needed to check a script: missing ones are a note, not an error (run needs them)
        ExperimentValidator.WithoutData checked = in.get(ExperimentValidator.class).validateWithoutData(config);
        String valid = in.argument("FILE") + ": experiment '" + checked.plan().name() + "' is valid";
        in.out.println(checked.missingData() == null ? valid : valid + "; its data is not here yet: " + checked.missingData());
        return ExitCode.OK;
    }
}

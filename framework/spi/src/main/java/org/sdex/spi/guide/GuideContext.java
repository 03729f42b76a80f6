package org.sdex.spi.guide;

import java.nio.file.Path;
import org.sdex.spi.data.Dataset;
import org.sdex.spi.sde.Sde;

/** What a guide is built with: the SDE, the dataset the model was trained on and the data root. */
public record GuideContext(Sde sde, Dataset dataset, Path dataRoot) {}

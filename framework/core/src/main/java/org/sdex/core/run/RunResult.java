package org.sdex.core.run;

import java.nio.file.Path;
import java.util.Map;

/** Where a run wrote its files and its summary (also in summary.json). */
public record RunResult(Path runDir, Map<String, Object> summary) {}

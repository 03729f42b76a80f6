package org.sdex.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sdex.core.vocabulary.Block;
import org.sdex.core.vocabulary.PluginChoice;
import org.sdex.core.vocabulary.Vocabulary;
import org.sdex.spi.Param;

/**
 * The reference tables of docs/dsl.md, written from the vocabulary: between
 * {@code <!-- vocabulary BLOCK -->} and {@code <!-- /vocabulary -->} stand the block's plugin
 * choices, settings and nested blocks, shown as {@code sdex describe BLOCK} shows them. The text
 * around the markers is written by hand.
 */
final class DslReference {
    private DslReference() {}

    private static final Pattern REGION = Pattern.compile("(<!-- vocabulary (\\w+) -->\\n)(.*?)(<!-- /vocabulary -->)", Pattern.DOTALL);

    /** {@code markdown} with every marked region rewritten from the vocabulary. */
    static String update(String markdown) {
        Matcher m = REGION.matcher(markdown);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Block block = block(m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + tables(block) + m.group(4)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Block block(String name) {
        if (name.equals(Vocabulary.EXPERIMENT.name())) return Vocabulary.EXPERIMENT;
        Block b = Vocabulary.EXPERIMENT.block(name);
        if (b == null) throw new IllegalArgumentException("docs/dsl.md marks a block '" + name + "' the vocabulary does not have");
        return b;
    }

    static String tables(Block block) {
        StringBuilder sb = new StringBuilder();
        if (!block.plugins().isEmpty()) {
            sb.append("| plugin | kind | default | what |\n|---|---|---|---|\n");
            for (PluginChoice c : block.plugins()) {
                sb.append(row("`" + c.keyword() + " NAME, params...`", c.kind().label(),
                        c.defaultPlugin() == null ? "" : "`" + c.defaultPlugin() + "`", c.doc()));
            }
            sb.append('\n');
        }
        if (!block.settings().isEmpty() || block.plugins().stream().anyMatch(c -> !c.settings().isEmpty())) {
            sb.append("| setting | default | accepted | meaning |\n|---|---|---|---|\n");
            settings(sb, block.settings(), "");
            for (PluginChoice c : block.plugins()) settings(sb, c.settings(), c.keyword() + " ..., ");
            sb.append('\n');
        }
        if (!block.blocks().isEmpty()) {
            sb.append("| block | what |\n|---|---|\n");
            for (Block b : block.blocks()) sb.append(row("`" + b.name() + " { }`", b.doc()));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void settings(StringBuilder sb, List<Param> params, String prefix) {
        for (Param p : params) {
            String name = prefix.isEmpty() ? "`" + p.name() + "`" : "`" + prefix + p.name() + ": VALUE`";
            String d = ParamText.defaultValue(p);
            sb.append(row(name, p.defaultValue() instanceof String ? "`'" + d + "'`" : d, p.accepted(), p.description()));
        }
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", List.of(cells).stream().map(c -> c.replace("|", "\\|")).toList()) + " |\n";
    }
}

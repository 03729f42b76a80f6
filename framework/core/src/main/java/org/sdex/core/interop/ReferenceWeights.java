package org.sdex.core.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A network's weights by the reference implementation's parameter names, taken from what users
 * hold: score_sde_pytorch checkpoints ({@code {'model', 'ema', 'optimizer', 'step'}}, names with
 * DataParallel's {@code module.} prefix, the EMA as {@code shadow_params}, a list in parameter
 * order), plain PyTorch state dicts, and safetensors files.
 */
public final class ReferenceWeights {
    /** Which weights of a training checkpoint: the raw ones or their exponential moving average. */
    public enum Choice {
        MODEL, EMA;

        public static Choice of(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new WeightFileException("weights '" + s + "': accepted values are ema, model");
            }
        }
    }

    private ReferenceWeights() {}

    /**
     * The tensors of {@code file} (.pth/.pt/.ckpt through the restricted unpickler, .safetensors),
     * keyed by parameter name without the {@code module.} prefix. {@code parameters} are the names of
     * the target network's trainable weights: an EMA list is matched by position to the state dict's
     * names among them. Null (no network at hand): score_sde_pytorch's untrained tensors are left out.
     */
    public static Map<String, HostTensor> read(Path file, Choice choice, List<String> parameters) {
        String name = file.getFileName().toString();
        if (name.endsWith(".safetensors")) return unprefixed(Safetensors.read(file).tensors());
        return fromObject(TorchFile.read(file), choice, parameters, name);
    }

    static Map<String, HostTensor> fromObject(Object root, Choice choice, List<String> parameters, String file) {
        if (!(root instanceof Map<?, ?> top)) throw new WeightFileException(file + ": holds a " + kind(root) + ", not a dict of weights");
        if (top.get("model") instanceof Map<?, ?> model) { // score_sde_pytorch's checkpoint
            Map<String, HostTensor> raw = tensors(model, file + " ['model']");
            if (choice == Choice.MODEL) return raw;
            if (!(top.get("ema") instanceof Map<?, ?> ema) || !(ema.get("shadow_params") instanceof List<?> shadow)) {
                throw new WeightFileException(file + ": has no EMA weights ('ema' with 'shadow_params'); choose weights 'model'");
            }
            // the EMA keeps the trainable parameters in model.parameters() order: the state dict's order without buffers
            List<String> order = new ArrayList<>();
            for (String k : raw.keySet()) if (parameters == null ? !notTrained(k, raw.get(k)) : parameters.contains(k)) order.add(k);
            if (order.size() != shadow.size()) {
                throw new WeightFileException(file + ": the EMA holds " + shadow.size() + " tensors, the model's state dict "
                        + order.size() + (parameters == null ? " trainable tensors" : " of this network's parameters")
                        + "; the checkpoint does not fit " + (parameters == null ? "score_sde_pytorch's layout" : "this model"));
            }
            Map<String, HostTensor> out = new LinkedHashMap<>(raw);
            for (int i = 0; i < order.size(); i++) {
                if (!(shadow.get(i) instanceof HostTensor t)) throw new WeightFileException(file + ": EMA entry " + i + " is not a tensor");
                if (!java.util.Arrays.equals(t.shape(), raw.get(order.get(i)).shape())) {
                    throw new WeightFileException(file + ": EMA entry " + i + " has shape " + java.util.Arrays.toString(t.shape())
                            + ", parameter '" + order.get(i) + "' " + java.util.Arrays.toString(raw.get(order.get(i)).shape()));
                }
                out.put(order.get(i), t);
            }
            return out;
        }
        if (top.get("state_dict") instanceof Map<?, ?> sd) return tensors(sd, file + " ['state_dict']");
        return tensors(top, file);
    }

    /**
     * Tensors of score_sde_pytorch's networks that are not trained, so not in the EMA: the
     * {@code sigmas} buffer, the Gaussian Fourier projection's fixed {@code W}, and integer buffers.
     */
    private static boolean notTrained(String name, HostTensor t) {
        return !t.dtype().floating() || name.equals("sigmas") || name.endsWith(".sigmas")
                || (name.endsWith(".W") && t.shape().length == 1);
    }

    private static Map<String, HostTensor> tensors(Map<?, ?> dict, String where) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String k)) throw new WeightFileException(where + ": has a key that is not a name");
            if (!(e.getValue() instanceof HostTensor t)) throw new WeightFileException(where + ": '" + k + "' is a " + kind(e.getValue()) + ", not a tensor");
            out.put(k, t);
        }
        return unprefixed(out);
    }

    /** Drops DataParallel's {@code module.} prefix when every name has it. */
    static Map<String, HostTensor> unprefixed(Map<String, HostTensor> in) {
        if (in.isEmpty() || !in.keySet().stream().allMatch(k -> k.startsWith("module."))) return in;
        Map<String, HostTensor> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k.substring("module.".length()), v));
        return out;
    }

    private static String kind(Object o) {
        if (o == null) return "None";
        if (o instanceof Map) return "dict";
        if (o instanceof List) return "list";
        if (o instanceof RestrictedUnpickler.Tuple) return "tuple";
        return o.getClass().getSimpleName();
    }
}

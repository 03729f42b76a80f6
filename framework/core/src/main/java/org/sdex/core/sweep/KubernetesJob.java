package org.sdex.core.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sdex.core.error.SdexException;
import org.sdex.core.run.RunDirectory;

/**
 * A sweep as a Kubernetes Indexed Job ({@code batch/v1}): one completion per point, each pod
 * running {@code sdex sweep task} for its {@code JOB_COMPLETION_INDEX} on the sweep directory,
 * which lives on a shared volume (a PersistentVolumeClaim) mounted at {@link #MOUNT}. A pod stopped
 * with SIGTERM (preemption, eviction) checkpoints within the grace period; its restart resumes.
 */
public final class KubernetesJob {
    /** Where the claim is mounted in the pods; the sweep directory is a folder at the claim's root. */
    public static final String MOUNT = "/sweeps";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the pods need: image (with sdex on its PATH), claim, cpu, memory, gpus, parallelism, namespace. */
    public record Settings(String image, String claim, String cpu, String memory, int gpus, int parallelism, String namespace) {
        public static Settings of(Map<String, Object> script, Map<String, String> options) {
            String image = ExecutorOptions.text("image", script, options);
            String claim = ExecutorOptions.text("claim", script, options);
            if (image == null) throw new SdexException("--executor k8s needs an image with sdex: --image IMAGE or sweep { k8s { image 'IMAGE' } }");
            if (claim == null) {
                throw new SdexException("--executor k8s needs a PersistentVolumeClaim for the sweep directory: --claim NAME or sweep { k8s { claim 'NAME' } }");
            }
            return new Settings(image, claim, ExecutorOptions.text("cpu", script, options), ExecutorOptions.text("memory", script, options),
                    ExecutorOptions.count("gpus", script, options, 0), ExecutorOptions.count("parallelism", script, options, 0),
                    ExecutorOptions.text("namespace", script, options));
        }
    }

    private KubernetesJob() {}

    /** The Job for the sweep's points (every point: a finished one exits at once). */
    public static Map<String, Object> manifest(SweepDirectory sweep, Settings s) {
        int n = sweep.points().size();
        String name = ("sdex-" + sweep.manifest().experiment() + "-" + sweep.path().getFileName()).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (name.length() > 52) name = name.substring(0, 52).replaceAll("-+$", "");

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        if (s.namespace() != null) metadata.put("namespace", s.namespace());
        metadata.put("labels", Map.of("app.kubernetes.io/name", "sdex", "sdex/experiment", label(sweep.manifest().experiment())));

        Map<String, Object> quantities = new LinkedHashMap<>();
        if (s.cpu() != null) quantities.put("cpu", s.cpu());
        if (s.memory() != null) quantities.put("memory", s.memory());
        Map<String, Object> limits = new LinkedHashMap<>(quantities);
        if (s.gpus() > 0) limits.put("nvidia.com/gpu", s.gpus());
        Map<String, Object> resources = new LinkedHashMap<>();
        if (!quantities.isEmpty()) resources.put("requests", quantities);
        if (!limits.isEmpty()) resources.put("limits", limits);

        String threads = s.cpu() != null && s.cpu().matches("\\d+") ? s.cpu() : "1";
        List<Map<String, Object>> env = new ArrayList<>();
        TaskCommand.threadEnv(threads).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> env.add(Map.of("name", e.getKey(), "value", e.getValue())));

        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "sdex");
        container.put("image", s.image());
        container.put("command", List.of("sdex", "sweep", "task", MOUNT + "/" + sweep.path().getFileName(), "--no-progress"));
        container.put("env", env);
        container.put("resources", resources);
        container.put("volumeMounts", List.of(Map.of("name", "sweep", "mountPath", MOUNT)));

        Map<String, Object> podSpec = new LinkedHashMap<>();
        // a failed or preempted container restarts in place and resumes from its checkpoint
        podSpec.put("restartPolicy", "OnFailure");
        // time for the checkpoint after SIGTERM
        podSpec.put("terminationGracePeriodSeconds", 120);
        podSpec.put("containers", List.of(container));
        podSpec.put("volumes", List.of(Map.of("name", "sweep", "persistentVolumeClaim", Map.of("claimName", s.claim()))));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("completionMode", "Indexed");
        spec.put("completions", n);
        spec.put("parallelism", s.parallelism() > 0 ? Math.min(s.parallelism(), n) : n);
        spec.put("backoffLimit", 3 * n);
        spec.put("template", Map.of("metadata", Map.of("labels", Map.of("app.kubernetes.io/name", "sdex")), "spec", podSpec));

        Map<String, Object> job = new LinkedHashMap<>();
        job.put("apiVersion", "batch/v1");
        job.put("kind", "Job");
        job.put("metadata", metadata);
        job.put("spec", spec);
        return job;
    }

    private static String label(String s) {
        String l = s.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
        return l.length() > 63 ? l.substring(0, 63) : l;
    }

    /** Writes {@code k8s/job.json} (kubectl reads JSON as it reads YAML); returns its path. */
    public static Path write(SweepDirectory sweep, Settings s) {
        Path file = sweep.path().resolve("k8s").resolve("job.json");
        Map<String, Object> job = manifest(sweep, s);
        RunDirectory.writeAtomically(file, tmp -> JSON.writeValue(tmp.toFile(), job));
        return file;
    }
}

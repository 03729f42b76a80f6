package org.sdex.dsl.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sdex.core.config.ExperimentConfig;
import org.sdex.core.error.SdexException;
import org.sdex.dsl.ExperimentLoader;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The hostile corpus (docs/security.md): each probe is evaluated the way {@code sdex run} and
 * {@code sdex validate} evaluate scripts, and must be refused or contained with one line naming the
 * script, nothing changed in a victim folder, no connection to a listening socket, nothing new in
 * the working directory. The victim folder and the socket are the test's own (a temp folder, 127.0.0.1).
 */
class HostileScriptTest {
    @TempDir static Path root;
    static Path victim;
    static ServerSocket listener;
    static final AtomicInteger connections = new AtomicInteger();
    /** Generous for a loaded CI machine: an evaluation ends as soon as the script does. */
    static final SandboxedEvaluation SANDBOX = new SandboxedEvaluation(20, 128);
    /** For the endless loop, which always runs into the limit. */
    static final SandboxedEvaluation SHORT = new SandboxedEvaluation(4, 128);

    @BeforeAll
    static void victimAndListener() throws IOException {
        victim = Files.createDirectories(root.resolve("victim"));
        Files.writeString(victim.resolve("keep.txt"), "keep");
        Files.createDirectories(victim.resolve("folder"));
        Files.writeString(victim.resolve("folder/inner.txt"), "inner");
        listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        listener.setSoTimeout(200);
        Thread t = new Thread(() -> {
            while (!listener.isClosed()) {
                try (var s = listener.accept()) {
                    connections.incrementAndGet();
                } catch (SocketTimeoutException e) {
                    // keep listening
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @AfterAll
    static void close() throws IOException { listener.close(); }

    /** A valid experiment after the hostile line, so only the probe can make it fail. */
    private static String around(String probe) {
        return probe + "\nexperiment('x') { data 'checkerboard'; sde 'vp'; model 'exact' }\n";
    }

    static Stream<String[]> probes() {
        String v = victim.toString().replace("\\", "/");
        int port = listener.getLocalPort();
        return Stream.of(
                new String[] {"delete_file", "new File('" + v + "/keep.txt').delete()"},
                new String[] {"delete_folder", "new File('" + v + "/folder').deleteDir()"},
                new String[] {"delete_via_nio", "java.nio.file.Files.delete(java.nio.file.Path.of('" + v + "/keep.txt'))"},
                new String[] {"run_id", "'id'.execute().text"},
                new String[] {"run_list", "['sh', '-c', 'id > " + v + "/id.txt'].execute().waitFor()"},
                new String[] {"write_file", "new File('" + v + "/written.txt').text = 'x'"},
                new String[] {"socket", "new Socket('127.0.0.1', " + port + ").close()"},
                new String[] {"url", "'http://127.0.0.1:" + port + "/'.toURL().text"},
                new String[] {"exit3", "System.exit(3)"},
                new String[] {"exit0", "System.exit(0)"},
                new String[] {"halt", "Runtime.runtime.halt(0)"},
                new String[] {"reflection", "Class.forName('java.lang.Runtime').getMethod('getRuntime').invoke(null)"},
                new String[] {"math_class", "Math.class.forName('java.lang.Runtime')"},
                new String[] {"get_class", "'x'.getClass().forName('java.lang.Runtime')"},
                new String[] {"eval_me", "Eval.me('System.exit(3)')"},
                new String[] {"evaluate", "evaluate('System.exit(3)')"},
                new String[] {"evaluate_closure_text", "evaluate({ 'System.exit(3)' }())"},
                new String[] {"evaluate_two_arguments", "evaluate('System.exit(3)', { })"},
                new String[] {"class_loader", "this.class.classLoader.loadClass('java.lang.Runtime')"},
                new String[] {"subscript_class", "this['class']"},
                new String[] {"binding", "binding.setVariable('x', 1)"},
                new String[] {"meta_class", "String.metaClass.foo = { -> 1 }"},
                new String[] {"grab", "@Grab('org.example:nothing:1.0')\nimport org.example.Nothing"},
                new String[] {"ast_test", "@groovy.transform.ASTTest(value = { System.exit(3) })\ndef x = 1"},
                new String[] {"class_declaration", "class Evil { static { System.exit(3) } }"},
                new String[] {"method_pointer", "def p = 'id'.&execute\np()"},
                new String[] {"computed_name", "def m = 'exe' + 'cute'\n'id'.\"$m\"()"},
                new String[] {"cast_to_file", "('" + v + "/keep.txt' as File).delete()"},
                new String[] {"forged_answer", "System.out.println('{\"config\":{\"name\":\"forged\"}}')"});
    }

    /** Probes only the running script shows: refused by the process's limits, not by the compiler. */
    static Stream<String[]> runtimeProbes() {
        return Stream.of(
                new String[] {"endless_loop", "while (true) { }"},
                // the DSL's evaluate block is allowed by the policy; Groovy's evaluate(String) never receives a closure
                new String[] {"evaluate_block_outside", "evaluate { 'System.exit(3)' }"},
                new String[] {"deep_recursion", "def f(n) { f(n + 1) }\nf(0)"},
                new String[] {"memory", "def s = 'x' * 400_000_000"},
                new String[] {"printed_answer", "println '{\"config\":{\"name\":\"forged\"}}'"});
    }

    /** Probes that the restricted DSL would refuse, run as full Groovy in the confined process: the second layer alone. */
    static Stream<String[]> confinementProbes() {
        String v = victim.toString().replace("\\", "/");
        int port = listener.getLocalPort();
        return Stream.of(
                new String[] {"os_delete", "new File('" + v + "/keep.txt').delete(); new File('" + v + "/folder').deleteDir()"},
                new String[] {"os_write", "new File('" + v + "/written.txt').text = 'x'"},
                new String[] {"os_run", "['sh', '-c', 'id > " + v + "/id.txt'].execute().waitFor()"},
                new String[] {"os_socket", "new Socket('127.0.0.1', " + port + ").close()"},
                new String[] {"os_exit0", "System.exit(0)"});
    }

    /** The first layer: the restricted DSL refuses each probe when compiling, at its line. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void refusedByTheRestrictedDsl(String name, String probe) throws IOException {
        Path script = write("scripts", name, around(probe));
        assertContained(name, script, () -> ExperimentLoader.load(script));
    }

    /** The whole path of sdex run / validate for a few of them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("someProbes")
    void refusedThroughTheConfinedProcess(String name, String probe) throws IOException {
        Path script = write("sandboxed", name, around(probe));
        assertContained(name, script, () -> SANDBOX.load(script));
    }

    static Stream<String[]> someProbes() {
        List<String> some = List.of("exit3", "grab");
        return probes().filter(p -> some.contains(p[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimeProbes")
    void containedByTheProcess(String name, String probe) throws IOException {
        Path script = write("runtime", name, name.equals("printed_answer") ? probe + "\n" : around(probe));
        SandboxedEvaluation sandbox = name.equals("endless_loop") ? SHORT : SANDBOX;
        assertContained(name, script, () -> sandbox.load(script));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("confinementProbes")
    void containedByTheOperatingSystem(String name, String probe) throws IOException {
        assumeTrue(Confinement.get().namespaces(), "no Linux namespaces here: " + Confinement.get().note());
        Path script = write("os", name, around(probe));
        SandboxedEvaluation fullGroovy = new SandboxedEvaluation(20, 128, false);
        try {
            fullGroovy.load(script);
        } catch (SdexException e) {
            assertThat(e.getMessage()).startsWith(name + ".groovy").doesNotContain("\n");
            System.out.println("confined " + name + ": " + e.getMessage());
        }
        assertUntouched(script);
        assertThat(connections.get()).as("connections to 127.0.0.1").isZero();
    }

    /** The probe as the only file of a folder of its own. */
    private static Path write(String group, String name, String text) throws IOException {
        Path script = Files.createDirectories(root.resolve(group + "-" + name)).resolve(name + ".groovy");
        return Files.writeString(script, text);
    }

    private static void assertContained(String name, Path script, ThrowingCallable evaluation) throws IOException {
        int before = connections.get();
        assertThatThrownBy(evaluation)
                .isInstanceOf(SdexException.class)
                .satisfies(e -> {
                    System.out.println("probe " + name + ": " + e.getMessage());
                    assertThat(e.getMessage()).startsWith(name + ".groovy").doesNotContain("\n");
                    assertThat(e.getMessage()).doesNotContain("Exception");
                });
        assertUntouched(script);
        assertThat(connections.get()).as("connections to 127.0.0.1").isEqualTo(before);
    }

    @Test
    void aHugeLiteralIsRefusedBeforeAnyEvaluation() throws IOException {
        Path dir = Files.createDirectories(root.resolve("scripts-huge"));
        Path script = dir.resolve("huge.groovy");
        StringBuilder b = new StringBuilder("def x = [");
        while (b.length() < 5_000_000) b.append("1234567, ");
        Files.writeString(script, around(b.append("1]").toString()));
        assertThatThrownBy(() -> SANDBOX.load(script)).isInstanceOf(SdexException.class)
                .hasMessageStartingWith(script + ": 4.8 MB; an experiment script may be at most 1 MB");
    }

    @Test
    void refusalsNameTheLine() throws IOException {
        Path script = root.resolve("line.groovy");
        Files.writeString(script, "def a = 1\ndef b = 2\n'id'.execute()\n");
        assertThatThrownBy(() -> SANDBOX.load(script)).hasMessageStartingWith("line.groovy:3: 'execute' not allowed in an experiment script");
    }

    @Test
    void anHonestScriptComesBackWithEveryValueAndLine() throws IOException {
        Path script = root.resolve("honest.groovy");
        Files.writeString(script, """
                def widths = (1..3).collect { (int) Math.round(32 * it) }
                experiment('honest') {
                    seed 7
                    data 'gmm', weights: [0.5, 0.5], means: [[-1, 0], [1, 0]], std: 0.2
                    sde 'vp', betaMax: 20
                    model 'mlp', hidden: widths
                    train { steps 10; lr 2e-3; ema 0.999; reduceMean false }
                    sample { predictor 'euler_maruyama'; n 5 }
                }
                """);
        ExperimentConfig c = SANDBOX.load(script);
        assertThat(c.name).isEqualTo("honest");
        assertThat(c.seed).isEqualTo(7L);
        assertThat(c.seedLocation.line()).isEqualTo(3);
        assertThat(c.data.params).containsEntry("std", 0.2).containsEntry("means", List.of(List.of(-1, 0), List.of(1, 0)));
        assertThat(c.model.params).containsEntry("hidden", List.of(32, 64, 96));
        assertThat(c.section("train").values).containsEntry("steps", 10).containsEntry("lr", 2e-3).containsEntry("reduceMean", false);
        assertThat(c.section("train").where("lr").line()).isEqualTo(7);
        assertThat(c.section("sample").plugins.get("predictor").location.line()).isEqualTo(8);
    }

    @Test
    void aBinaryOrUtf16ScriptIsNotUtf8Text() throws IOException {
        Path script = root.resolve("utf16.groovy");
        Files.write(script, "experiment('x') { }".getBytes(java.nio.charset.StandardCharsets.UTF_16));
        assertThatThrownBy(() -> SANDBOX.load(script)).hasMessage(script + ": not a UTF-8 text file (it contains NUL bytes; binary or UTF-16?)");
        Files.write(script, new byte[] {'d', 'e', 'f', ' ', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> SANDBOX.load(script)).hasMessage(script + ": not a UTF-8 text file; save it as UTF-8");
    }

    private static void assertUntouched(Path script) throws IOException {
        assertThat(Files.readString(victim.resolve("keep.txt"))).isEqualTo("keep");
        assertThat(Files.readString(victim.resolve("folder/inner.txt"))).isEqualTo("inner");
        try (Stream<Path> v = Files.list(victim); Stream<Path> d = Files.list(script.getParent())) {
            assertThat(v.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("keep.txt", "folder");
            assertThat(d).containsExactly(script);
        }
    }
}

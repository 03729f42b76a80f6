package org.sdex.plugins.ode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.PluginKind;
import org.sdex.spi.sampling.OdeSolverPlugin;

/** The plugins' declarations: registration, names, parameters and their ranges, announced costs. */
class PluginsTest {
    static List<OdeSolverPlugin> loaded() {
        return ServiceLoader.load(OdeSolverPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    @Test
    void allFourAreRegisteredWithSnakeCaseNamesAndOneLineDescriptions() {
        List<OdeSolverPlugin> plugins = loaded();
        assertThat(plugins).extracting(OdeSolverPlugin::name).containsExactly("euler", "heun", "rk4", "rk45");
        for (OdeSolverPlugin p : plugins) {
            assertThat(p.name()).matches("[a-z][a-z0-9_]*");
            assertThat(p.kind()).isEqualTo(PluginKind.ODE_SOLVER);
            assertThat(p.description()).isNotBlank().doesNotContain("\n");
            assertThat(p.version()).isNotBlank();
            assertThat(p.adaptive()).isEqualTo(p.name().equals("rk45"));
            Params defaults = Params.of(p, Map.of());
            assertThat(p.evaluations(defaults, 12)).isEqualTo(switch (p.name()) {
                case "euler" -> 12;
                case "heun" -> 24;
                case "rk4" -> 48;
                default -> -1;
            });
            if (!p.adaptive()) assertThat(p.parameters()).isEmpty();
        }
    }

    @Test
    void rk45TakesTypedTolerancesWithScipysDefaults() {
        Rk45Plugin rk45 = new Rk45Plugin();
        assertThat(Params.of(rk45, Map.of()).asMap())
                .containsExactly(Map.entry("rtol", 1e-5), Map.entry("atol", 1e-5), Map.entry("firstStep", 0.0), Map.entry("maxSteps", 100_000));
        assertThat(Params.of(rk45, Map.of("rtol", 1e-3, "maxSteps", 10)).real("rtol")).isEqualTo(1e-3);
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("rtol", 0), Map.of("atol", -1e-6),
                Map.of("firstStep", -0.1), Map.of("maxSteps", 0), Map.of("maxSteps", 1.5), Map.of("rtol", "tight"),
                Map.of("rtol", "1e-3"))) { // text is not a number, even when it reads as one
            assertThatThrownBy(() -> Params.of(rk45, bad)).isInstanceOf(ParamException.class)
                    .hasMessageContaining("ode 'rk45' parameter '" + bad.keySet().iterator().next() + "'");
        }
        assertThatThrownBy(() -> Params.of(rk45, Map.of("steps", 10))).isInstanceOf(ParamException.class)
                .hasMessageContaining("Accepted: rtol, atol, firstStep, maxSteps");
        assertThatThrownBy(() -> Params.of(new EulerPlugin(), Map.of("rtol", 1e-3))).hasMessageContaining("takes no parameters");
    }
}

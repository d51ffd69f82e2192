package io.pgrepmon;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The packages are the pipeline, bottom to top; a package may use only those below it. */
class ArchitectureTest {

    /** Bottom first: config, the published model, connections, probes, assembly, judging, the hub, the tick, serving. */
    static final List<String> LAYERS = List.of("config", "model", "db", "probe", "assemble", "judge", "publish",
            "pipeline", "serve");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pgrepmon");

    @Test
    void noImportRunsBackUpThePipeline() {
        LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            architecture = architecture.layer(layer).definedBy("io.pgrepmon." + layer + "..");
        }
        for (int i = 1; i < LAYERS.size(); i++) {
            architecture = architecture.whereLayer(LAYERS.get(i))
                    .mayOnlyAccessLayers(LAYERS.subList(0, i).toArray(String[]::new));
        }
        architecture = architecture.whereLayer(LAYERS.get(0)).mayNotAccessAnyLayer();
        architecture.check(MAIN);
    }

    @Test
    void everyMainClassBelongsToALayer() {
        MAIN.stream().filter(c -> !c.getPackageName().equals("io.pgrepmon"))
                .forEach(c -> org.assertj.core.api.Assertions.assertThat(LAYERS)
                        .as("the layer of %s", c.getName())
                        .contains(c.getPackageName().split("\\.")[2]));
    }

    @Test
    void subpackagesAreFreeOfCycles() {
        slices().matching("io.pgrepmon.(**)").should().beFreeOfCycles().check(MAIN);
    }
}

package io.slatedb.flink;

import io.slatedb.boundary.ApiBoundary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The state backend uses the engine through its public packages only. */
@Timeout(60)
class SlateDbApiBoundaryTest {

    @Test
    void stateBackendClassesReferNoInternalEngineClass() {
        assertEquals(List.of(), ApiBoundary.internalReferences(ApiBoundary.classesOf(SlateDbStateBackend.class)),
                "state backend classes that refer to internal engine classes");
    }
}

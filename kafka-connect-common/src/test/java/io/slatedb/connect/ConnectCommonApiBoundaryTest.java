package io.slatedb.connect;

import io.slatedb.boundary.ApiBoundary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The connectors' shared code uses the engine through its public packages only. */
@Timeout(60)
class ConnectCommonApiBoundaryTest {

    @Test
    void sharedConnectorClassesReferNoInternalEngineClass() {
        assertEquals(List.of(), ApiBoundary.internalReferences(ApiBoundary.classesOf(SinkOffsetKeys.class)),
                "connector classes that refer to internal engine classes");
    }
}

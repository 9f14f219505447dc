package io.slatedb.connect.source;

import io.slatedb.boundary.ApiBoundary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The source connector uses the engine through its public packages only. */
@Timeout(60)
class SlateDbSourceApiBoundaryTest {

    @Test
    void sourceConnectorClassesReferNoInternalEngineClass() {
        assertEquals(List.of(), ApiBoundary.internalReferences(ApiBoundary.classesOf(SlateDbSourceConnector.class)),
                "source connector classes that refer to internal engine classes");
    }
}

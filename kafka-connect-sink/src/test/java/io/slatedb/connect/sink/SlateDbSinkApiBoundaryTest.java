package io.slatedb.connect.sink;

import io.slatedb.boundary.ApiBoundary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sink uses the engine through its public packages only. */
@Timeout(60)
class SlateDbSinkApiBoundaryTest {

    @Test
    void sinkClassesReferNoInternalEngineClass() {
        assertEquals(List.of(), ApiBoundary.internalReferences(ApiBoundary.classesOf(SlateDbSinkTask.class)),
                "sink classes that refer to internal engine classes");
    }
}

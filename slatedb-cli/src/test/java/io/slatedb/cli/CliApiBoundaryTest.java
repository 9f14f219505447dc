package io.slatedb.cli;

import io.slatedb.boundary.ApiBoundary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command line uses the engine through its public packages only. */
@Timeout(60)
class CliApiBoundaryTest {

    @Test
    void commandLineClassesReferNoInternalEngineClass() {
        assertEquals(List.of(), ApiBoundary.internalReferences(ApiBoundary.classesOf(SlateDbCli.class)),
                "command line classes that refer to internal engine classes");
    }
}

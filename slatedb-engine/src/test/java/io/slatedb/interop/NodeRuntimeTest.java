package io.slatedb.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The skip decision itself; runs everywhere, with or without Node. */
class NodeRuntimeTest {

    @Test
    void missingNodeMakesTheInteropTestsUnavailableWithAReason(@TempDir Path emptyDir) {
        NodeRuntime runtime = NodeRuntime.probe(null, null, emptyDir.toString());

        assertFalse(runtime.available());
        String reason = runtime.unavailableReason().orElseThrow();
        assertTrue(reason.contains("node was not found") && reason.contains("skipped"), reason);
        assertThrows(IllegalStateException.class, runtime::node);
    }

    @Test
    void aConfiguredNodeThatDoesNotExistIsUnavailable(@TempDir Path dir) {
        NodeRuntime runtime = NodeRuntime.probe(dir.resolve("no-such-node").toString(), null,
                System.getenv("PATH"));

        assertFalse(runtime.available());
        assertTrue(runtime.unavailableReason().orElseThrow().contains("node was not found"));
    }
}
